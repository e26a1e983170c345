package dev.cachewarming.cache;

import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * The entry of a cache whose reads are tracked for refresh-ahead ({@link TieredCache#trackReads()}): the entry
 * itself carries when it was last read, whether a refresh of it is planned or running, and what reloads it, so
 * tracking a key costs 16 bytes in the entry rather than a map node and a record of its own.
 */
final class TrackedEntry extends CacheEntry {

    private static final AtomicIntegerFieldUpdater<TrackedEntry> STATE = AtomicIntegerFieldUpdater
        .newUpdater(TrackedEntry.class, "state");

    static final int REFRESHING = 1;

    static final int PLANNED = 2;

    volatile long lastRead;

    private volatile int state;

    // Set on the first read that knows how to reload the key (a method's invocation, say); null until then.
    volatile Object reloadContext;

    TrackedEntry(CacheEntry facts, Object reloadContext, long lastRead) {
        super(facts);
        this.reloadContext = reloadContext;
        this.lastRead = lastRead;
    }

    boolean claim(int flag) {
        while (true) {
            int current = this.state;
            if ((current & flag) != 0) {
                return false;
            }
            if (STATE.compareAndSet(this, current, current | flag)) {
                return true;
            }
        }
    }

    void release(int flag) {
        while (true) {
            int current = this.state;
            if (STATE.compareAndSet(this, current, current & ~flag)) {
                return;
            }
        }
    }
}
