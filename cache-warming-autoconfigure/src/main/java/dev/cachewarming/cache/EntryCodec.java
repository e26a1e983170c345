package dev.cachewarming.cache;

import java.lang.reflect.Type;

import com.fasterxml.jackson.annotation.JsonInclude;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.util.ByteArrayBuilder;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.SequenceWriter;

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

    private final tools.jackson.databind.ObjectReader valueReader;

    private final tools.jackson.databind.ObjectWriter batchWriter;

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
        this.batchWriter = this.envelopeWriter.withRootValueSeparator("");
        // A value slice must be one JSON value: bytes in a form the fast header reader took for canonical but with
        // more fields between the value and the times then fail to decode (a miss) instead of reading as the value.
        this.valueReader = json.reader(valueType).with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
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
     * Encodes many entries through one JSON generator: what a batch of a thousand values saves is the generator,
     * buffers and context that {@link #encode(CacheEntry)} sets up per value (a quarter of the time, measured).
     * @param entries the entries, of which the first {@code count} are encoded
     * @param count how many
     * @return each entry's JSON bytes, in order
     * @throws RuntimeException if a value cannot be written (the caller may then encode one by one to find it)
     */
    byte[][] encodeAll(CacheEntry[] entries, int count) {
        // One value at a time in a buffer the size of one value, copied out exact: a buffer for the whole batch
        // (a third of a megabyte for a thousand products) grew by copying and was sliced by copying again.
        ByteArrayBuilder out = new ByteArrayBuilder(512);
        byte[][] encoded = new byte[count][];
        try (JsonGenerator generator = this.batchWriter.createGenerator(out);
                SequenceWriter values = this.batchWriter.writeValues(generator)) {
            // The sequence writer keeps one serialization context and the envelope's serializer for the batch.
            for (int i = 0; i < count; i++) {
                CacheEntry entry = entries[i];
                values.write(new Envelope<>(entry.value(), entry.writtenAt(), entry.expiresAt(), entry.loadNanos()));
                generator.flush();
                encoded[i] = out.toByteArray();
                out.reset();
            }
        }
        return encoded;
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

    /**
     * Reads an entry's timing facts and finds its value in the bytes, without decoding the value: in the form
     * {@link #encode(CacheEntry)} writes, by reading the three numbers at the end (a few dozen bytes); in any other
     * (fields in another order, spaces), by a streaming pass that skips the value's tokens. Either is several
     * times cheaper than binding the value, which {@link #decode(EncodedEntry)} does later.
     * @param bytes bytes written by {@link #encode(CacheEntry)}
     * @return the entry, not decoded yet
     * @throws tools.jackson.core.JacksonException if the bytes are not an entry envelope
     * @throws IllegalArgumentException if the envelope has no value or no expiry
     */
    EncodedEntry decodeLazily(byte[] bytes) {
        EncodedEntry canonical = CanonicalEnvelope.read(bytes);
        if (canonical != null) {
            return canonical;
        }
        int valueOffset = -1;
        int valueLength = 0;
        long writtenAt = 0;
        long expiresAt = Long.MIN_VALUE;
        long loadNanos = 0;
        try (JsonParser parser = this.envelopeReader.createParser(bytes)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("Not an entry envelope");
            }
            while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
                // One-letter names compared without case: what any naming strategy of a user's mapper makes of
                // them (UpperCamelCase writes "V").
                String name = parser.currentName();
                char field = (name.length() == 1) ? Character.toLowerCase(name.charAt(0)) : '?';
                JsonToken token = parser.nextToken();
                switch (field) {
                    case 'v' -> {
                        valueOffset = (int) parser.currentTokenLocation().getByteOffset();
                        if (token.isStructStart()) {
                            parser.skipChildren();
                        }
                        else {
                            parser.finishToken();
                        }
                        valueLength = (int) parser.currentLocation().getByteOffset() - valueOffset;
                    }
                    // getValueAsLong also reads numbers written as strings (WRITE_NUMBERS_AS_STRINGS).
                    case 'w' -> writtenAt = requireLong(parser);
                    case 'e' -> expiresAt = requireLong(parser);
                    case 'l' -> loadNanos = requireLong(parser);
                    default -> parser.skipChildren();
                }
            }
        }
        if (valueOffset < 0 || expiresAt == Long.MIN_VALUE) {
            throw new IllegalArgumentException("Not an entry envelope: no value or no expiry");
        }
        return new EncodedEntry(bytes, valueOffset, valueLength, writtenAt, expiresAt, loadNanos);
    }

    private static long requireLong(JsonParser parser) {
        JsonToken token = parser.currentToken();
        if (token != JsonToken.VALUE_NUMBER_INT && token != JsonToken.VALUE_STRING) {
            throw new IllegalArgumentException("Not an entry envelope: a time is " + token);
        }
        long value = parser.getValueAsLong(Long.MIN_VALUE);
        if (value == Long.MIN_VALUE) {
            throw new IllegalArgumentException("Not an entry envelope: a time is not a number");
        }
        return value;
    }

    /**
     * @param encoded an entry read by {@link #decodeLazily(byte[])}
     * @return the entry, its value decoded as the declared type
     * @throws tools.jackson.core.JacksonException if the value is not of the declared type
     */
    CacheEntry decode(EncodedEntry encoded) {
        Object value = this.valueReader.readValue(encoded.bytes, encoded.valueOffset, encoded.valueLength);
        return new CacheEntry(value, encoded.writtenAt, encoded.expiresAt, encoded.loadNanos);
    }

    /** The stored form; short names keep every Redis value small. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record Envelope<V>(V v, long w, long e, long l) {
    }
}
