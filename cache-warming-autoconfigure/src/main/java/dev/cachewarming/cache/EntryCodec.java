package dev.cachewarming.cache;

import java.lang.reflect.Type;

import com.fasterxml.jackson.annotation.JsonInclude;
import tools.jackson.databind.JavaType;

/**
 * Writes {@link CacheEntry cache entries} as compact JSON and reads them back <em>as the declared value type</em>.
 *
 * <p>The stored form is {@code {"v":<value>,"w":<writtenAt>,"e":<expiresAt>,"l":<loadNanos>}}: no class names,
 * so nothing read from Redis can choose what gets instantiated, and any JSON tool can inspect it.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class EntryCodec {

    private final JavaType valueType;

    private final JavaType envelopeType;

    private final tools.jackson.databind.ObjectReader envelopeReader;

    private final tools.jackson.databind.ObjectWriter envelopeWriter;

    /**
     * @param json the shared JSON support
     * @param valueType the declared type of the cached values, e.g. a method's generic return type
     */
    public EntryCodec(ValueJson json, Type valueType) {
        this(json, json.type(valueType));
    }

    /**
     * @param json the shared JSON support
     * @param valueType the declared type of the cached values
     */
    public EntryCodec(ValueJson json, JavaType valueType) {
        this.valueType = valueType;
        this.envelopeType = json.parametric(Envelope.class, valueType);
        this.envelopeReader = json.reader(this.envelopeType);
        this.envelopeWriter = json.writer(this.envelopeType);
    }

    /** @return the declared value type */
    public JavaType valueType() {
        return this.valueType;
    }

    /**
     * @param entry the entry to write
     * @return its JSON bytes
     */
    public byte[] encode(CacheEntry entry) {
        return this.envelopeWriter.writeValueAsBytes(
                new Envelope<>(entry.value(), entry.writtenAt(), entry.expiresAt(), entry.loadNanos()));
    }

    /**
     * @param bytes bytes written by {@link #encode(CacheEntry)}, possibly by another instance or version
     * @return the entry, its value decoded as the declared type
     * @throws tools.jackson.core.JacksonException if the bytes are not an entry of the declared type
     */
    public CacheEntry decode(byte[] bytes) {
        Envelope<?> envelope = this.envelopeReader.readValue(bytes);
        return new CacheEntry(envelope.v(), envelope.w(), envelope.e(), envelope.l());
    }

    /** The stored form; short names keep every Redis value small. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record Envelope<V>(V v, long w, long e, long l) {
    }
}
