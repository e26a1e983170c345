package dev.cachewarming.write;

/** A write-behind write could not be accepted: it is not in the durable log (and not cached). */
public class WriteBehindException extends RuntimeException {

    /**
     * @param message what failed
     * @param cause why
     */
    public WriteBehindException(String message, Throwable cause) {
        super(message, cause);
    }
}
