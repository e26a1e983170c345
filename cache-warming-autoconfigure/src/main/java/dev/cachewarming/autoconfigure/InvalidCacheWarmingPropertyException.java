package dev.cachewarming.autoconfigure;

/**
 * A {@code cache-warming.*} property has a value the starter cannot run with. Reported at startup by
 * {@link InvalidCacheWarmingPropertyFailureAnalyzer}.
 */
public class InvalidCacheWarmingPropertyException extends RuntimeException {

    private final String property;

    private final Object value;

    private final String reason;

    private final String action;

    /**
     * @param property the full property name, e.g. {@code cache-warming.caches.products.jitter}
     * @param value the value found
     * @param reason what is wrong with it
     * @param action what to do instead
     */
    public InvalidCacheWarmingPropertyException(String property, Object value, String reason, String action) {
        this(property, value, "Invalid value '" + value + "' for property '" + property + "': " + reason, reason,
                action);
    }

    /**
     * For a failure that is not about the value itself, such as a property under the name of a cache the
     * application does not have.
     * @param property the full property name
     * @param value the value found
     * @param description the whole description of the failure (the exception's message)
     * @param reason what is wrong
     * @param action what to do instead
     */
    protected InvalidCacheWarmingPropertyException(String property, Object value, String description, String reason,
            String action) {
        super(description);
        this.property = property;
        this.value = value;
        this.reason = reason;
        this.action = action;
    }

    /** @return the full property name */
    public String getProperty() {
        return this.property;
    }

    /** @return the value found */
    public Object getValue() {
        return this.value;
    }

    /** @return what is wrong with it */
    public String getReason() {
        return this.reason;
    }

    /** @return what to do instead */
    public String getAction() {
        return this.action;
    }
}
