package dev.cachewarming.tools;

/**
 * One entry of a dump: the cache-relative key, the stored bytes as they were (no decoding: the dump carries the
 * entry as the cache wrote it), and the TTL it had left when read.
 *
 * @param key the key within its cache (what follows {@code <prefix>:<cache>:} in Redis)
 * @param value the stored bytes
 * @param ttlMillis remaining time to live when dumped, milliseconds; -1 for no expiry
 */
public record DumpEntry(String key, byte[] value, long ttlMillis) {
}
