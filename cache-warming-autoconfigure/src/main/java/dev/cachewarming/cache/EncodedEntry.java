package dev.cachewarming.cache;

/**
 * An entry copied from the shared tier whose value is not decoded yet: the bytes Redis returned, where the value
 * lies in them, and the entry's timing facts (read without binding the value). Warming from L2 stores these, so an
 * instance takes a hundred thousand keys from Redis without building a hundred thousand objects graphs it may
 * never read; the first read decodes the value and puts the decoded entry in its place.
 */
final class EncodedEntry {

    final byte[] bytes;

    final int valueOffset;

    final int valueLength;

    final long writtenAt;

    final long expiresAt;

    final long loadNanos;

    EncodedEntry(byte[] bytes, int valueOffset, int valueLength, long writtenAt, long expiresAt, long loadNanos) {
        this.bytes = bytes;
        this.valueOffset = valueOffset;
        this.valueLength = valueLength;
        this.writtenAt = writtenAt;
        this.expiresAt = expiresAt;
        this.loadNanos = loadNanos;
    }

    boolean isFreshAt(long nowMillis) {
        return nowMillis < this.expiresAt;
    }
}
