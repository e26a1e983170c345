package dev.cachewarming.cache;

/**
 * Reads the timing facts of an entry envelope in the exact form {@link EntryCodec#encode(CacheEntry)} writes:
 * {@code {"v":<value>,"w":<digits>,"e":<digits>,"l":<digits>}}. The three numbers are read from the end
 * backwards, so finding them costs a few dozen bytes whatever the size of the value; the value is what lies
 * between. Another field order, spaces, numbers that are not plain JSON integers of at most 18 digits, or a mapper
 * that sorts properties are left to the streaming parser: this is only the fast path for what this library writes
 * itself. Bytes that end like the canonical form but hold more fields between the value and the times are not
 * told apart here: the value slice then holds those fields too, and its decoding fails ({@link EntryCodec} reads a
 * slice as exactly one value), so such an entry is a miss, never a wrong value.
 */
final class CanonicalEnvelope {

    private static final byte[] HEAD = { '{', '"', 'v', '"', ':' };

    // Epoch milliseconds have 13 digits and a load time in nanoseconds fits in 13 as well; 18 never overflow a long.
    private static final int MAX_DIGITS = 18;

    private CanonicalEnvelope() {
    }

    /**
     * @param bytes the stored bytes
     * @return the entry, not decoded yet; {@code null} if the bytes are not in the canonical form
     */
    static EncodedEntry read(byte[] bytes) {
        int end = bytes.length - 1;
        if (end < HEAD.length + 18 || bytes[end] != '}') {
            return null;
        }
        for (int i = 0; i < HEAD.length; i++) {
            if (bytes[i] != HEAD[i]) {
                return null;
            }
        }
        long[] number = new long[1];
        int at = readNumberBackwards(bytes, end - 1, number);
        long loadNanos = number[0];
        at = field(bytes, at, 'l');
        if (at < 0) {
            return null;
        }
        at = readNumberBackwards(bytes, at, number);
        long expiresAt = number[0];
        at = field(bytes, at, 'e');
        if (at < 0) {
            return null;
        }
        at = readNumberBackwards(bytes, at, number);
        long writtenAt = number[0];
        at = field(bytes, at, 'w');
        if (at < HEAD.length) {
            return null;
        }
        return new EncodedEntry(bytes, HEAD.length, at + 1 - HEAD.length, writtenAt, expiresAt, loadNanos);
    }

    /**
     * Reads the digits (and an optional minus sign) ending at {@code at}: at most 18 of them, so the value cannot
     * overflow, and no leading zero, which JSON does not allow.
     * @return the index before the number, or {@code -1} if there is no such number
     */
    private static int readNumberBackwards(byte[] bytes, int at, long[] number) {
        long value = 0;
        long scale = 1;
        int i = at;
        while (i >= 0 && bytes[i] >= '0' && bytes[i] <= '9') {
            if (at - i == MAX_DIGITS) {
                return -1;
            }
            value += (bytes[i] - '0') * scale;
            scale *= 10;
            i--;
        }
        if (i == at || (at - i > 1 && bytes[i + 1] == '0')) {
            return -1;
        }
        if (i >= 0 && bytes[i] == '-') {
            value = -value;
            i--;
        }
        number[0] = value;
        return i;
    }

    /**
     * Checks that {@code ,"<name>":} ends at {@code at}.
     * @return the index before the comma, or {@code -1}
     */
    private static int field(byte[] bytes, int at, char name) {
        if (at < 5 || bytes[at] != ':' || bytes[at - 1] != '"' || bytes[at - 2] != name || bytes[at - 3] != '"'
                || bytes[at - 4] != ',') {
            return -1;
        }
        return at - 5;
    }
}
