package dev.cachewarming.cache;

import java.lang.reflect.Type;

import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The JSON support every cache shares: one {@link JsonMapper} set up so that data read from Redis can never name
 * a class to instantiate.
 *
 * <p>Values and keys are always decoded with a type the application declared (a method's generic return type,
 * a parameter type), never with type information found in the data: default typing is switched off even if the
 * application's own mapper had it on. Unknown properties are ignored so that a rolling deploy that adds or removes
 * a field still reads the values the other version wrote.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class ValueJson {

    private final JsonMapper mapper;

    private ValueJson(JsonMapper mapper) {
        this.mapper = mapper;
    }

    /**
     * @param applicationMapper the application's mapper, whose modules and naming are kept; {@code null} for
     * Jackson's defaults
     * @return the JSON support
     */
    public static ValueJson from(JsonMapper applicationMapper) {
        JsonMapper.Builder builder = (applicationMapper != null) ? applicationMapper.rebuild() : JsonMapper.builder();
        JsonMapper mapper = builder.deactivateDefaultTyping()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .build();
        return new ValueJson(mapper);
    }

    /** @return JSON support with Jackson's defaults (and the safety settings above) */
    public static ValueJson defaults() {
        return from(null);
    }

    /**
     * @param type a declared Java type, possibly generic
     * @return Jackson's view of it
     */
    public JavaType type(Type type) {
        if (type instanceof JavaType javaType) {
            return javaType;
        }
        return this.mapper.getTypeFactory().constructType(type);
    }

    /**
     * @param raw a generic class such as {@code Optional.class}
     * @param parameters its type arguments
     * @return the parameterized type
     */
    public JavaType parametric(Class<?> raw, JavaType... parameters) {
        return this.mapper.getTypeFactory().constructParametricType(raw, parameters);
    }

    /**
     * @param elementType an array's element type
     * @return the array type
     */
    public JavaType arrayOf(JavaType elementType) {
        return this.mapper.getTypeFactory().constructArrayType(elementType);
    }

    /**
     * Reads a JSON array whose elements have different declared types.
     * @param json a JSON array
     * @param types the declared type of each element, in order
     * @return the decoded elements
     * @throws IllegalArgumentException if the array does not have one element per type
     */
    public Object[] readArray(String json, JavaType[] types) {
        tools.jackson.databind.JsonNode array = this.mapper.readTree(json);
        if (!array.isArray() || array.size() != types.length) {
            throw new IllegalArgumentException("Expected a JSON array of " + types.length + " elements: " + json);
        }
        Object[] values = new Object[types.length];
        for (int i = 0; i < types.length; i++) {
            values[i] = this.mapper.treeToValue(array.get(i), types[i]);
        }
        return values;
    }

    /**
     * @param value any value
     * @return its JSON text
     */
    public String writeString(Object value) {
        return this.mapper.writeValueAsString(value);
    }

    /**
     * @param value any value
     * @return its JSON as UTF-8 bytes
     */
    public byte[] writeBytes(Object value) {
        return this.mapper.writeValueAsBytes(value);
    }

    /**
     * @param type a declared type
     * @return a writer for it, resolved once; property values are still written by their runtime type
     */
    public tools.jackson.databind.ObjectWriter writer(JavaType type) {
        return this.mapper.writerFor(type);
    }

    /**
     * @param type a declared type
     * @return a reader for it, resolved once (what a codec that reads many values of one type keeps)
     */
    public tools.jackson.databind.ObjectReader reader(JavaType type) {
        return this.mapper.readerFor(type);
    }

    /**
     * @param json JSON text
     * @param type the declared type to decode as
     * @param <T> the type
     * @return the decoded value
     * @throws tools.jackson.core.JacksonException if the text does not fit the type
     */
    public <T> T readString(String json, JavaType type) {
        return this.mapper.readValue(json, type);
    }

    /**
     * @param json JSON as UTF-8 bytes
     * @param type the declared type to decode as
     * @param <T> the type
     * @return the decoded value
     * @throws tools.jackson.core.JacksonException if the bytes do not fit the type
     */
    public <T> T readBytes(byte[] json, JavaType type) {
        return this.mapper.readValue(json, type);
    }
}
