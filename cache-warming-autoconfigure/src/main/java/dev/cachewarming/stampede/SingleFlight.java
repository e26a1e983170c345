package dev.cachewarming.stampede;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.LongAdder;

/**
 * Coalesces concurrent calls for the same key in this JVM: the first caller runs the call, the others wait for
 * its outcome and receive the same value, or the same exception.
 *
 * <p>Nothing is remembered once a flight ends: the next call for the key runs again. Thread-safe.
 *
 * <pre>{@code
 * SingleFlight<Long, Product> flights = new SingleFlight<>();
 * Product p = flights.run(42L, () -> repository.load(42L));
 * }</pre>
 *
 * @param <K> the key type (with value equality)
 * @param <V> the result type
 */
public final class SingleFlight<K, V> {

    private final ConcurrentHashMap<K, CompletableFuture<V>> flights = new ConcurrentHashMap<>();

    private final LongAdder coalesced = new LongAdder();

    /**
     * A call that may throw anything.
     * @param <V> the result type
     */
    @FunctionalInterface
    public interface Call<V> {

        /**
         * @return the result
         * @throws Throwable whatever the work throws; it reaches every waiter
         */
        V call() throws Throwable;
    }

    /**
     * Runs {@code call} unless a call for the same key is under way, in which case waits for that one.
     * @param key the key
     * @param call the work
     * @return the result of the flight
     * @throws Throwable what the flight's call threw, unchanged
     */
    public V run(K key, Call<V> call) throws Throwable {
        CompletableFuture<V> mine = new CompletableFuture<>();
        CompletableFuture<V> running = this.flights.putIfAbsent(key, mine);
        if (running != null) {
            this.coalesced.increment();
            return await(running);
        }
        try {
            V value = call.call();
            mine.complete(value);
            return value;
        }
        catch (Throwable ex) {
            mine.completeExceptionally(ex);
            throw ex;
        }
        finally {
            this.flights.remove(key, mine);
        }
    }

    /** @return how many calls waited for another caller's flight instead of running their own */
    public long coalescedCount() {
        return this.coalesced.sum();
    }

    /**
     * @param key a key
     * @return whether a flight for it is under way
     */
    public boolean isRunning(K key) {
        return this.flights.containsKey(key);
    }

    /** @return how many flights are under way */
    public int inFlight() {
        return this.flights.size();
    }

    private static <V> V await(CompletableFuture<V> running) throws Throwable {
        try {
            return running.get();
        }
        catch (ExecutionException | CompletionException ex) {
            throw (ex.getCause() != null) ? ex.getCause() : ex;
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw ex;
        }
    }
}
