package dev.cachewarming.memcached;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import net.rubyeye.xmemcached.GetsResponse;

import dev.cachewarming.cache.ValueJson;
import dev.cachewarming.warming.HotKeyStore;
import dev.cachewarming.warming.SpaceSavingSummary;

/**
 * Remembers hot keys in one Memcached item per cache, {@code <prefix>::hot:<cache>}: a JSON array
 * {@code [{"k": encoded arguments, "c": count}, ...]}, most counted first, shared by every instance.
 *
 * <p>Memcached has no sorted sets, so a save is a compare-and-swap loop: read the item with its CAS value, weigh
 * the stored counts down, add this instance's, keep the most counted, and write it back only if nobody wrote in
 * between ({@code cas}; {@code add} when there is no item yet), else start over. Counts of concurrent savers thus
 * add up as they do in Redis. The item is kept under Memcached's item size (1 MB by default): the least counted
 * keys are dropped to fit. It expires after 7 days without saves, and Memcached may evict it earlier under memory
 * pressure (the next start then warms without remembered keys).
 */
public final class MemcachedHotKeyStore implements HotKeyStore {

    private static final int EXPIRY_SECONDS = 7 * 24 * 3600;

    private static final int MAX_ATTEMPTS = 10;

    // Memcached's default item size is 1 MB, including its own header: stay well below.
    private static final int MAX_BYTES = 900 * 1024;

    private final MemcachedCommandRunner memcached;

    private final MemcachedKeys keys;

    private final ValueJson json;

    /**
     * @param memcached runs the commands
     * @param keys names the items
     * @param json JSON support
     */
    public MemcachedHotKeyStore(MemcachedCommandRunner memcached, MemcachedKeys keys, ValueJson json) {
        this.memcached = memcached;
        this.keys = keys;
        this.json = json;
    }

    @Override
    public void save(String cache, List<SpaceSavingSummary.Counted<String>> counts, double decay, int keep) {
        String item = this.keys.hotKeysKey(cache);
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            GetsResponse<byte[]> stored = this.memcached.execute((client, timeout) -> client.gets(item, timeout,
                    BytesTranscoder.INSTANCE));
            byte[] merged = merge((stored != null) ? read(stored.getValue()) : new StoredKey[0], counts, decay, keep);
            boolean written = (stored != null)
                    ? this.memcached.execute((client, timeout) -> client.cas(item, EXPIRY_SECONDS, merged,
                            BytesTranscoder.INSTANCE, timeout, stored.getCas()))
                    : this.memcached.execute((client, timeout) -> client.add(item, EXPIRY_SECONDS, merged,
                            BytesTranscoder.INSTANCE, timeout));
            if (written) {
                return;
            }
        }
        throw new MemcachedTierException("Hot keys of cache '" + cache + "' changed under " + MAX_ATTEMPTS
                + " attempts to save them; the next save adds these counts", null);
    }

    private byte[] merge(StoredKey[] stored, List<SpaceSavingSummary.Counted<String>> counts, double decay,
            int keep) {
        // Exact sums, as Redis ZINCRBY does, then the most counted are kept.
        Map<String, Double> merged = new LinkedHashMap<>();
        for (StoredKey row : stored) {
            merged.merge(row.k(), row.c() * decay, Double::sum);
        }
        for (SpaceSavingSummary.Counted<String> counted : counts) {
            merged.merge(counted.key(), counted.count(), Double::sum);
        }
        List<StoredKey> rows = new ArrayList<>(merged.size());
        merged.entrySet()
            .stream()
            .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
            .limit(keep)
            .forEach((entry) -> rows.add(new StoredKey(entry.getKey(), entry.getValue())));
        byte[] bytes = this.json.writeBytes(rows);
        List<StoredKey> fitting = rows;
        while (bytes.length > MAX_BYTES && !fitting.isEmpty()) {
            fitting = fitting.subList(0, fitting.size() / 2);
            bytes = this.json.writeBytes(fitting);
        }
        return bytes;
    }

    @Override
    public List<SpaceSavingSummary.Counted<String>> load(String cache, int limit) {
        String item = this.keys.hotKeysKey(cache);
        byte[] stored = this.memcached.execute((client, timeout) -> client.get(item, timeout,
                BytesTranscoder.INSTANCE));
        List<SpaceSavingSummary.Counted<String>> keys = new ArrayList<>();
        if (stored == null) {
            return keys;
        }
        StoredKey[] rows = read(stored);
        for (int i = 0; i < rows.length && i < limit; i++) {
            keys.add(new SpaceSavingSummary.Counted<>(rows[i].k(), rows[i].c(), 0));
        }
        return keys;
    }

    private StoredKey[] read(byte[] bytes) {
        try {
            return this.json.readBytes(bytes, this.json.type(StoredKey[].class));
        }
        catch (RuntimeException ex) {
            // Written by an incompatible version: started over.
            return new StoredKey[0];
        }
    }

    @Override
    public String describe() {
        return "Memcached items " + this.keys.prefix() + "::hot:<cache>";
    }

    /**
     * One stored key.
     *
     * @param k the encoded arguments
     * @param c the count
     */
    record StoredKey(String k, double c) {
    }
}
