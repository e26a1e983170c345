package dev.cachewarming.write;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A batch read from the log, coalesced: per key only the last entry (the highest id) is written, and every entry
 * (written or superseded) is acknowledged together once the write succeeds.
 *
 * @param latest per key, the entry to write, in the order the keys first appear
 * @param all every entry of the batch
 */
record WriteBatch(List<WriteBehindLog.Entry> latest, List<WriteBehindLog.Entry> all) {

    /**
     * @param entries entries in log order (claimed ones, older, before newly read ones)
     * @return the batch
     */
    static WriteBatch coalesce(List<WriteBehindLog.Entry> entries) {
        Map<String, WriteBehindLog.Entry> byKey = new LinkedHashMap<>();
        for (WriteBehindLog.Entry entry : entries) {
            WriteBehindLog.Entry previous = byKey.get(entry.key());
            if (previous == null || compareIds(entry.id(), previous.id()) > 0) {
                byKey.put(entry.key(), entry);
            }
        }
        return new WriteBatch(new ArrayList<>(byKey.values()), entries);
    }

    /**
     * @return one batch per key: its latest entry, with every entry of that key to acknowledge with it
     */
    List<WriteBatch> perKey() {
        Map<String, List<WriteBehindLog.Entry>> byKey = new LinkedHashMap<>();
        for (WriteBehindLog.Entry entry : this.all) {
            byKey.computeIfAbsent(entry.key(), (key) -> new ArrayList<>()).add(entry);
        }
        List<WriteBatch> batches = new ArrayList<>(this.latest.size());
        for (WriteBehindLog.Entry latest : this.latest) {
            batches.add(new WriteBatch(List.of(latest), byKey.get(latest.key())));
        }
        return batches;
    }

    List<String> ids() {
        return this.all.stream().map(WriteBehindLog.Entry::id).toList();
    }

    /** Redis Stream ids are {@code <millis>-<sequence>}; compared numerically, part by part. */
    static int compareIds(String a, String b) {
        int dashA = a.indexOf('-');
        int dashB = b.indexOf('-');
        if (dashA < 0 || dashB < 0) {
            return a.compareTo(b);
        }
        int byTime = Long.compare(Long.parseLong(a.substring(0, dashA)), Long.parseLong(b.substring(0, dashB)));
        return (byTime != 0) ? byTime
                : Long.compare(Long.parseLong(a.substring(dashA + 1)), Long.parseLong(b.substring(dashB + 1)));
    }
}
