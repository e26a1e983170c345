package dev.cachewarming.interceptor;

/**
 * A method annotated with {@code @StampedeProtected} or {@code @RefreshAhead} cannot be cached as declared.
 * Raised at startup and reported by a failure analyzer with the method and the fix.
 */
public class InvalidCachedMethodException extends RuntimeException {

    private final String method;

    private final String action;

    /**
     * @param method the method, as {@code Type.name(ParamType, ...)}
     * @param problem what is wrong
     * @param action what to do
     */
    public InvalidCachedMethodException(String method, String problem, String action) {
        super("Method " + method + ": " + problem);
        this.method = method;
        this.action = action;
    }

    /** @return the method, as {@code Type.name(ParamType, ...)} */
    public String getMethod() {
        return this.method;
    }

    /** @return what to do */
    public String getAction() {
        return this.action;
    }
}
