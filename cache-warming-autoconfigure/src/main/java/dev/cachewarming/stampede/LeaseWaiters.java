package dev.cachewarming.stampede;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import dev.cachewarming.cache.InvalidationListener;

/**
 * Wakes the callers of this instance that wait for another instance to load a key: the loader's write (or its
 * lease release) arrives as a message, which completes the waiters' signal. When messages may have been lost or
 * may not arrive (the connection dropped, Redis stopped answering, Redis is back), every waiter is woken to look
 * again; waiters also look again on a backoff of their own ({@link LeaseLoadGuard}), so no single lost message
 * can hold one for long.
 *
 * <p>Thread-safe.
 */
public final class LeaseWaiters implements InvalidationListener {

    private final Map<String, CompletableFuture<Void>> signals = new ConcurrentHashMap<>();

    /**
     * Registers interest in a key. Register <em>before</em> looking for the value, so a message that arrives in
     * between is not missed.
     * @param cache the cache name
     * @param encodedKey the encoded key
     * @return a signal completed when the key changes or its lease is released
     */
    public CompletableFuture<Void> register(String cache, String encodedKey) {
        return this.signals.computeIfAbsent(id(cache, encodedKey), (id) -> new CompletableFuture<>());
    }

    /**
     * Drops a signal once its caller stops waiting (another caller still holding it simply times out and
     * registers again).
     * @param cache the cache name
     * @param encodedKey the encoded key
     * @param signal the signal {@link #register} returned
     */
    public void unregister(String cache, String encodedKey, CompletableFuture<Void> signal) {
        this.signals.remove(id(cache, encodedKey), signal);
    }

    /** @return how many keys have waiters */
    public int waitingKeys() {
        return this.signals.size();
    }

    /**
     * The keys callers of this instance wait on now, for a shared tier that has no messages and must look for
     * released leases itself (Memcached without an invalidation channel).
     * @return a snapshot of the keys with waiters
     */
    public java.util.List<WaitedKey> waitedKeys() {
        java.util.List<WaitedKey> keys = new java.util.ArrayList<>(this.signals.size());
        for (String id : this.signals.keySet()) {
            int colon = id.indexOf(':');
            int length = Integer.parseInt(id, 0, colon, 10);
            keys.add(new WaitedKey(id.substring(colon + 1, colon + 1 + length), id.substring(colon + 2 + length)));
        }
        return keys;
    }

    @Override
    public void keyChanged(String cache, String encodedKey) {
        signal(cache, encodedKey);
    }

    @Override
    public void leaseReleased(String cache, String encodedKey) {
        signal(cache, encodedKey);
    }

    @Override
    public void cacheCleared(String cache) {
        String prefix = cache.length() + ":" + cache + ":";
        this.signals.forEach((id, signal) -> {
            if (id.startsWith(prefix)) {
                this.signals.remove(id, signal);
                signal.complete(null);
            }
        });
    }

    @Override
    public void resyncRequired() {
        wakeAll();
    }

    @Override
    public void deliveryInterrupted() {
        wakeAll();
    }

    @Override
    public void recovered() {
        wakeAll();
    }

    /** Wakes every waiter, to look again. */
    public void wakeAll() {
        this.signals.forEach((id, signal) -> {
            this.signals.remove(id, signal);
            signal.complete(null);
        });
    }

    private void signal(String cache, String encodedKey) {
        CompletableFuture<Void> signal = this.signals.remove(id(cache, encodedKey));
        if (signal != null) {
            signal.complete(null);
        }
    }

    private static String id(String cache, String encodedKey) {
        return cache.length() + ":" + cache + ":" + encodedKey;
    }

    /**
     * A key some caller waits on.
     *
     * @param cache the cache name
     * @param encodedKey the encoded key
     */
    public record WaitedKey(String cache, String encodedKey) {
    }
}
