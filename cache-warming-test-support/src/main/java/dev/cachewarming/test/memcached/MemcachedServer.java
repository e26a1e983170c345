package dev.cachewarming.test.memcached;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code memcached} child process on a free loopback port, which a test can stop and start again on the same
 * port (a restarted server is empty) to inject an outage and a recovery.
 *
 * <p>{@code memcached} must be on the {@code PATH} (Debian: {@code apt-get install -y memcached}) or named by the
 * {@code MEMCACHED_SERVER} environment variable. Obtain one through {@link MemcachedServerExtension}; never mock
 * Memcached in its place.
 */
public final class MemcachedServer {

    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(10);

    private final String executable;

    private final int port;

    private final Path logFile;

    private final int megabytes;

    private Process process;

    private MemcachedServer(String executable, int port, int megabytes) {
        this.executable = executable;
        this.port = port;
        this.megabytes = megabytes;
        try {
            this.logFile = Files.createTempFile("memcached-" + port + "-", ".log");
        }
        catch (IOException ex) {
            throw new IllegalStateException("Cannot create a log file for memcached", ex);
        }
    }

    /**
     * Starts a new server on a free port.
     * @return the running server
     * @throws IllegalStateException if no {@code memcached} executable can be found or it does not start
     */
    public static MemcachedServer startOnFreePort() {
        return startOnFreePort(64);
    }

    /**
     * Starts a new server on a free port with the given memory for items.
     * @param megabytes memory for items ({@code -m}); Memcached evicts the least recently used items beyond it
     * @return the running server
     * @throws IllegalStateException if no {@code memcached} executable can be found or it does not start
     */
    public static MemcachedServer startOnFreePort(int megabytes) {
        String executable = findExecutable();
        if (executable == null) {
            throw new IllegalStateException("No memcached executable found: install it (Debian: "
                    + "'apt-get install -y memcached') or set MEMCACHED_SERVER to its path");
        }
        MemcachedServer server = new MemcachedServer(executable, freePort(), megabytes);
        server.start();
        return server;
    }

    /** @return the path of a usable {@code memcached}, or {@code null} if there is none */
    public static String findExecutable() {
        String configured = System.getenv("MEMCACHED_SERVER");
        if (configured != null && new File(configured).canExecute()) {
            return configured;
        }
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(File.pathSeparator)) {
                File candidate = new File(dir, "memcached");
                if (candidate.canExecute()) {
                    return candidate.getAbsolutePath();
                }
            }
        }
        for (String fallback : List.of("/usr/bin/memcached", "/usr/local/bin/memcached")) {
            if (new File(fallback).canExecute()) {
                return fallback;
            }
        }
        return null;
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
        catch (IOException ex) {
            throw new IllegalStateException("Cannot find a free port for memcached", ex);
        }
    }

    /** @return the host clients connect to (a loopback address) */
    public String host() {
        return "127.0.0.1";
    }

    /** @return the port clients connect to; stays the same across {@link #stop()} and {@link #start()} */
    public int port() {
        return this.port;
    }

    /** @return {@code host:port}, as {@code cache-warming.memcached.servers} takes it */
    public String address() {
        return host() + ":" + this.port;
    }

    /** @return whether the server currently answers */
    public synchronized boolean isRunning() {
        return this.process != null && this.process.isAlive() && answers();
    }

    /**
     * Starts the server (again) on the same port and waits until it answers {@code version}. A restarted server
     * is empty.
     */
    public synchronized void start() {
        if (this.process != null && this.process.isAlive()) {
            return;
        }
        // -U 0: no UDP; root may only run it with -u.
        ProcessBuilder builder = new ProcessBuilder(this.executable, "-p", String.valueOf(this.port), "-l",
                "127.0.0.1", "-U", "0", "-m", String.valueOf(this.megabytes), "-u", System.getProperty("user.name"));
        builder.redirectErrorStream(true);
        builder.redirectOutput(ProcessBuilder.Redirect.appendTo(this.logFile.toFile()));
        try {
            this.process = builder.start();
        }
        catch (IOException ex) {
            throw new IllegalStateException("Cannot start " + this.executable, ex);
        }
        long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!this.process.isAlive()) {
                throw new IllegalStateException("memcached exited at startup (code " + this.process.exitValue()
                        + "); its log: " + this.logFile + "\n" + readLog());
            }
            if (answers()) {
                return;
            }
            pause();
        }
        this.process.destroyForcibly();
        throw new IllegalStateException("memcached did not answer on port " + this.port + " within "
                + STARTUP_TIMEOUT + "; its log: " + this.logFile + "\n" + readLog());
    }

    /** Stops the server; clients see refused connections until {@link #start()}. */
    public synchronized void stop() {
        if (this.process == null) {
            return;
        }
        this.process.destroy();
        try {
            if (!this.process.waitFor(5, TimeUnit.SECONDS)) {
                this.process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        this.process = null;
    }

    /** Deletes every item ({@code flush_all}), so tests sharing a server start clean. */
    public void flushAll() {
        String reply = command("flush_all");
        if (!reply.equals("OK")) {
            throw new IllegalStateException("memcached answered '" + reply + "' to flush_all");
        }
    }

    /**
     * Sends one command and returns the first line of the reply, for what a test checks without a client.
     * @param line the command, without its line end (e.g. {@code get key})
     * @return the first line of the reply
     */
    public String command(String line) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host(), this.port), 500);
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder reply = new StringBuilder();
            int c;
            while ((c = in.read()) != -1 && c != '\n') {
                reply.append((char) c);
            }
            return reply.toString().trim();
        }
        catch (IOException ex) {
            throw new IllegalStateException("memcached at " + address() + " did not answer: " + ex.getMessage(), ex);
        }
    }

    /**
     * Stores one item without a client (no expiry), for what a test prepares, such as a value no cache wrote.
     * @param key the item's key
     * @param value its value, as UTF-8 text
     */
    public void set(String key, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        String reply = command("set " + key + " 0 0 " + bytes.length + "\r\n" + value);
        if (!reply.equals("STORED")) {
            throw new IllegalStateException("memcached answered '" + reply + "' to set " + key);
        }
    }

    /**
     * Reads one item without a client, for what a test checks.
     * @param key the item's key
     * @return its value as UTF-8 text, or {@code null} if there is none
     */
    public String get(String key) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host(), this.port), 500);
            socket.setSoTimeout(5000);
            socket.getOutputStream().write(("get " + key + "\r\n").getBytes(StandardCharsets.UTF_8));
            java.io.DataInputStream in = new java.io.DataInputStream(socket.getInputStream());
            String header = readLine(in);
            if (header.equals("END")) {
                return null;
            }
            // VALUE <key> <flags> <bytes>
            int length = Integer.parseInt(header.substring(header.lastIndexOf(' ') + 1));
            byte[] value = new byte[length];
            in.readFully(value);
            return new String(value, StandardCharsets.UTF_8);
        }
        catch (IOException | RuntimeException ex) {
            throw new IllegalStateException("memcached at " + address() + " did not answer 'get " + key + "': "
                    + ex.getMessage(), ex);
        }
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) != -1 && c != '\n') {
            line.append((char) c);
        }
        return line.toString().trim();
    }

    /** Stops the server for good and deletes its log. */
    public void close() {
        stop();
        try {
            Files.deleteIfExists(this.logFile);
        }
        catch (IOException ex) {
            // A leftover temp file is harmless.
        }
    }

    /** @return a short description for logs and error messages */
    public String describe() {
        return "memcached process on " + address();
    }

    private boolean answers() {
        try {
            return command("version").startsWith("VERSION");
        }
        catch (IllegalStateException ex) {
            return false;
        }
    }

    private String readLog() {
        try {
            return Files.readString(this.logFile);
        }
        catch (IOException ex) {
            return "(log unreadable: " + ex.getMessage() + ")";
        }
    }

    private static void pause() {
        try {
            // Polling a child process that is starting: there is no event to wait on.
            Thread.sleep(20);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for memcached", ex);
        }
    }
}
