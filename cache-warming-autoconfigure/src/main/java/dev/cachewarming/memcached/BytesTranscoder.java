package dev.cachewarming.memcached;

import net.rubyeye.xmemcached.transcoders.CachedData;
import net.rubyeye.xmemcached.transcoders.CompressionMode;
import net.rubyeye.xmemcached.transcoders.Transcoder;

/**
 * Stores bytes as they are (flags 0): the values are the tier's own JSON, and nothing the client could decode
 * differently (xmemcached's default transcoder Java-deserializes items flagged as serialized objects, which this
 * one never does).
 */
final class BytesTranscoder implements Transcoder<byte[]> {

    static final BytesTranscoder INSTANCE = new BytesTranscoder();

    private BytesTranscoder() {
    }

    @Override
    public CachedData encode(byte[] value) {
        return new CachedData(0, value);
    }

    @Override
    public byte[] decode(CachedData data) {
        return data.getData();
    }

    @Override
    public void setPrimitiveAsString(boolean primitiveAsString) {
    }

    @Override
    public void setPackZeros(boolean packZeros) {
    }

    @Override
    public void setCompressionThreshold(int compressionThreshold) {
    }

    @Override
    public boolean isPrimitiveAsString() {
        return false;
    }

    @Override
    public boolean isPackZeros() {
        return false;
    }

    @Override
    public void setCompressionMode(CompressionMode compressionMode) {
    }
}
