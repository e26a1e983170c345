package dev.cachewarming.memcached;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Lists the items of Memcached servers with the LRU crawler ({@code lru_crawler metadump all}, Memcached 1.4.31 and
 * later), as Netflix's EVCache warmer does: the keys of a cache, to clear it, to warm from them, or to copy a node
 * to its replacement ({@link ReplacementNodeWarmer}).
 *
 * <p>A small socket client of its own: the crawler's output is a stream of lines ({@code key=<uri-encoded key>
 * exp=<unix time or -1> la=<last access> cas=.. fetch=.. cls=.. size=..}, then {@code END}) that Memcached clients
 * do not expose. The crawler walks every item of the server without blocking it; one dump runs at a time per
 * server (another waits while the server answers {@code BUSY}). Thread-safe.
 */
public final class MemcachedKeyDump {

    private static final long BUSY_WAIT_NANOS = Duration.ofSeconds(10).toNanos();

    private final Supplier<List<InetSocketAddress>> servers;

    private final int connectTimeoutMillis;

    private final int readTimeoutMillis;

    /**
     * @param servers the servers to dump
     * @param connectTimeout how long connecting to one may take
     * @param readTimeout the most time between two lines of a dump
     */
    public MemcachedKeyDump(Supplier<List<InetSocketAddress>> servers, Duration connectTimeout, Duration readTimeout) {
        this.servers = servers;
        this.connectTimeoutMillis = (int) Math.max(1, connectTimeout.toMillis());
        this.readTimeoutMillis = (int) Math.max(1, readTimeout.toMillis());
    }

    /**
     * @param prefix how the wanted item keys begin, e.g. {@link MemcachedKeys#cacheSpace(String)}
     * @return the keys of every server's items that begin with it
     * @throws MemcachedTierException if a server cannot be dumped
     */
    public List<String> itemKeys(String prefix) {
        List<String> keys = new ArrayList<>();
        for (InetSocketAddress server : this.servers.get()) {
            dump(server, (item) -> {
                if (item.key().startsWith(prefix)) {
                    keys.add(item.key());
                }
            });
        }
        return keys;
    }

    /**
     * The keys a cache holds in Memcached, most recently read first (what to warm first); hashed keys (longer
     * than Memcached allows) cannot be named and are left out.
     * @param keys how items are named
     * @param cache the cache name
     * @param limit the most keys to return
     * @return the encoded cache keys
     * @throws MemcachedTierException if a server cannot be dumped
     */
    public List<String> cacheKeys(MemcachedKeys keys, String cache, int limit) {
        String space = keys.cacheSpace(cache);
        List<Item> items = new ArrayList<>();
        for (InetSocketAddress server : this.servers.get()) {
            dump(server, (item) -> {
                if (item.key().startsWith(space)) {
                    items.add(item);
                }
            });
        }
        items.sort(Comparator.comparingLong(Item::lastAccess).reversed());
        List<String> found = new ArrayList<>(Math.min(limit, items.size()));
        for (Item item : items) {
            String key = keys.decodeKey(cache, item.key());
            if (key != null && found.size() < limit) {
                found.add(key);
            }
        }
        return found;
    }

    /**
     * Streams every item of one server.
     * @param server the server
     * @param each called with each item, on the caller's thread
     * @throws MemcachedTierException if the server cannot be reached, refuses the crawler or stops answering
     */
    public void dump(InetSocketAddress server, Consumer<Item> each) {
        long busySince = System.nanoTime();
        while (true) {
            try (Socket socket = new Socket()) {
                socket.connect(resolved(server), this.connectTimeoutMillis);
                socket.setSoTimeout(this.readTimeoutMillis);
                OutputStream out = socket.getOutputStream();
                out.write("lru_crawler metadump all\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                BufferedReader in = new BufferedReader(
                        new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII), 64 * 1024);
                String line = in.readLine();
                if (line != null && line.startsWith("BUSY")) {
                    if (System.nanoTime() - busySince > BUSY_WAIT_NANOS) {
                        throw new MemcachedTierException("The LRU crawler of " + server + " stayed busy", null);
                    }
                    pause();
                    continue;
                }
                while (line != null && !line.equals("END")) {
                    if (line.startsWith("ERROR") || line.startsWith("CLIENT_ERROR")) {
                        throw new MemcachedTierException("Memcached at " + server + " refused lru_crawler metadump ("
                                + line + "); it needs Memcached 1.4.31 or later with the LRU crawler enabled", null);
                    }
                    if (line.startsWith("key=")) {
                        each.accept(Item.parse(line));
                    }
                    line = in.readLine();
                }
                if (line == null) {
                    throw new MemcachedTierException("Memcached at " + server + " closed the dump before its end",
                            null);
                }
                return;
            }
            catch (IOException ex) {
                throw new MemcachedTierException("Cannot dump the keys of Memcached at " + server + ": "
                        + ex.getMessage(), ex);
            }
        }
    }

    private static InetSocketAddress resolved(InetSocketAddress server) {
        return server.isUnresolved() ? new InetSocketAddress(server.getHostString(), server.getPort()) : server;
    }

    private static void pause() {
        try {
            // The crawler says BUSY and nothing when it is free again: there is no event to wait on.
            Thread.sleep(50);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new MemcachedTierException("Interrupted while waiting for the LRU crawler", ex);
        }
    }

    /**
     * One item of a dump.
     *
     * @param key the item's key
     * @param expiresAt when it expires, Unix seconds, or {@code -1} for never
     * @param lastAccess when it was last read or written, Unix seconds
     * @param size its size in bytes, as Memcached stores it
     */
    public record Item(String key, long expiresAt, long lastAccess, int size) {

        static Item parse(String line) {
            String key = null;
            long expiresAt = -1;
            long lastAccess = 0;
            int size = 0;
            for (String field : line.split(" ")) {
                int equals = field.indexOf('=');
                if (equals < 0) {
                    continue;
                }
                String value = field.substring(equals + 1);
                switch (field.substring(0, equals)) {
                    case "key" -> key = URLDecoder.decode(value, StandardCharsets.UTF_8);
                    case "exp" -> expiresAt = Long.parseLong(value);
                    case "la" -> lastAccess = Long.parseLong(value);
                    case "size" -> size = Integer.parseInt(value);
                    default -> {
                    }
                }
            }
            return new Item(key, expiresAt, lastAccess, size);
        }
    }
}
