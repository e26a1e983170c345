/**
 * The Memcached shared tier (L2), an adapter of the core's ports: {@link dev.cachewarming.cache.SecondLevel}
 * ({@link dev.cachewarming.memcached.MemcachedSecondLevel}), {@link dev.cachewarming.stampede.LeaseRegistry}
 * ({@link dev.cachewarming.memcached.MemcachedLeaseRegistry}) and {@link dev.cachewarming.warming.HotKeyStore}
 * ({@link dev.cachewarming.memcached.MemcachedHotKeyStore}), on the xmemcached client; plus what only Memcached
 * needs: listing a cache's keys with the LRU crawler ({@link dev.cachewarming.memcached.MemcachedKeyDump}) and
 * copying a node's items to its replacement ({@link dev.cachewarming.memcached.ReplacementNodeWarmer}).
 *
 * <p>This package depends on the core ({@code cache}, {@code stampede}, {@code warming}), never the reverse.
 */
package dev.cachewarming.memcached;
