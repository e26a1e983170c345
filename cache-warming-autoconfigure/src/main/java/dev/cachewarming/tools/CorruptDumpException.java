package dev.cachewarming.tools;

/** A dump file is missing, unreadable or not what its manifest says; the message names the file. */
public class CorruptDumpException extends RuntimeException {

    /**
     * @param message what is wrong, naming the file
     * @param cause why, or {@code null}
     */
    public CorruptDumpException(String message, Throwable cause) {
        super(message, cause);
    }
}
