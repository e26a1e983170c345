package dev.cachewarming.macrobench;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The physical limit of a store for the shared-tier benchmark: SETs or GETs of values of a given size over raw
 * sockets, {@code depth} commands written per round trip ({@code depth} 1: one command per round trip, what a
 * caller that waits for each answer gets), on {@code threads} connections of their own. The same client for
 * Memcached's text protocol and Redis's RESP, so both stores are measured the same way; there is no
 * {@code memtier_benchmark} or {@code mc-crusher} among Debian's packages.
 */
final class RawStoreClient {

    /** The wire protocol. */
    enum Protocol {

        MEMCACHED, REDIS
    }

    private RawStoreClient() {
    }

    /**
     * @param protocol the store's protocol
     * @param port its loopback port
     * @param threads connections, one thread each
     * @param depth commands per round trip
     * @param requests commands in all, over keys {@code raw:0} to {@code raw:<requests-1>}
     * @param valueBytes the size of each value
     * @param set SETs (otherwise GETs of keys a previous SET run wrote)
     * @return commands per second
     */
    static double rate(Protocol protocol, int port, int threads, int depth, int requests, int valueBytes,
            boolean set) throws Exception {
        byte[] value = new byte[valueBytes];
        java.util.Arrays.fill(value, (byte) 'x');
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> runs = new ArrayList<>();
            int perThread = requests / threads;
            for (int t = 0; t < threads; t++) {
                int from = t * perThread;
                runs.add(pool.submit(() -> {
                    try (Socket socket = new Socket("127.0.0.1", port)) {
                        socket.setTcpNoDelay(true);
                        OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
                        InputStream in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
                        start.await();
                        for (int i = 0; i < perThread; i += depth) {
                            int batch = Math.min(depth, perThread - i);
                            for (int j = 0; j < batch; j++) {
                                write(out, protocol, "raw:" + (from + i + j), set ? value : null);
                            }
                            out.flush();
                            for (int j = 0; j < batch; j++) {
                                read(in, protocol, set);
                            }
                        }
                    }
                    return null;
                }));
            }
            long began = System.nanoTime();
            start.countDown();
            for (Future<?> run : runs) {
                run.get();
            }
            return perThread * threads / ((System.nanoTime() - began) / 1e9);
        }
        finally {
            pool.shutdownNow();
        }
    }

    private static void write(OutputStream out, Protocol protocol, String key, byte[] value) throws IOException {
        byte[] keyBytes = key.getBytes(StandardCharsets.US_ASCII);
        if (protocol == Protocol.MEMCACHED) {
            if (value != null) {
                out.write(("set " + key + " 0 600 " + value.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(value);
                out.write('\r');
                out.write('\n');
            }
            else {
                out.write(("get " + key + "\r\n").getBytes(StandardCharsets.US_ASCII));
            }
            return;
        }
        if (value != null) {
            out.write(("*5\r\n$3\r\nSET\r\n$" + keyBytes.length + "\r\n" + key + "\r\n$" + value.length + "\r\n")
                .getBytes(StandardCharsets.US_ASCII));
            out.write(value);
            out.write("\r\n$2\r\nPX\r\n$6\r\n600000\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        else {
            out.write(("*2\r\n$3\r\nGET\r\n$" + keyBytes.length + "\r\n" + key + "\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        }
    }

    private static void read(InputStream in, Protocol protocol, boolean set) throws IOException {
        String line = line(in);
        if (protocol == Protocol.MEMCACHED) {
            if (set) {
                expect(line.equals("STORED"), line);
                return;
            }
            if (line.startsWith("VALUE ")) {
                skip(in, Integer.parseInt(line.substring(line.lastIndexOf(' ') + 1)) + 2);
                line = line(in);
            }
            expect(line.equals("END"), line);
            return;
        }
        if (set) {
            expect(line.equals("+OK"), line);
            return;
        }
        expect(line.startsWith("$"), line);
        int length = Integer.parseInt(line.substring(1));
        if (length >= 0) {
            skip(in, length + 2);
        }
    }

    private static void expect(boolean ok, String line) {
        if (!ok) {
            throw new IllegalStateException("Unexpected reply: " + line);
        }
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) != '\n') {
            if (c == -1) {
                throw new IOException("Connection closed");
            }
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }

    private static void skip(InputStream in, int bytes) throws IOException {
        int left = bytes;
        while (left > 0) {
            long skipped = in.skip(left);
            if (skipped <= 0) {
                if (in.read() == -1) {
                    throw new IOException("Connection closed");
                }
                skipped = 1;
            }
            left -= (int) skipped;
        }
    }
}
