package dev.cachewarming.test.redis;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A {@code redis-server} child process on a free loopback port, with persistence switched off.
 *
 * <p>Used when no Docker engine is available. {@code redis-server} must be on the {@code PATH} (Debian:
 * {@code apt-get install -y redis-server}) or named by the {@code REDIS_SERVER} environment variable.
 */
public final class RedisProcessServer implements RedisServer {

    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(10);

    private final String executable;
    private final int port;
    private final Path logFile;
    private Process process;

    private RedisProcessServer(String executable, int port) {
        this.executable = executable;
        this.port = port;
        try {
            this.logFile = Files.createTempFile("redis-" + port + "-", ".log");
        }
        catch (IOException ex) {
            throw new IllegalStateException("Cannot create a log file for redis-server", ex);
        }
    }

    /**
     * Starts a new server on a free port.
     * @return the running server
     * @throws IllegalStateException if no {@code redis-server} executable can be found or it does not start
     */
    public static RedisProcessServer startOnFreePort() {
        String executable = findExecutable();
        if (executable == null) {
            throw new IllegalStateException("No redis-server executable found: install it (Debian: "
                    + "'apt-get install -y redis-server') or set REDIS_SERVER to its path");
        }
        RedisProcessServer server = new RedisProcessServer(executable, freePort());
        server.start();
        return server;
    }

    /** @return the path of a usable {@code redis-server}, or {@code null} if there is none */
    public static String findExecutable() {
        String configured = System.getenv("REDIS_SERVER");
        if (configured != null && new File(configured).canExecute()) {
            return configured;
        }
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(File.pathSeparator)) {
                File candidate = new File(dir, "redis-server");
                if (candidate.canExecute()) {
                    return candidate.getAbsolutePath();
                }
            }
        }
        for (String fallback : List.of("/usr/bin/redis-server", "/usr/local/bin/redis-server")) {
            if (new File(fallback).canExecute()) {
                return fallback;
            }
        }
        return null;
    }

    private static int freePort() {
        // redis-server refuses --port 0, so a free port is picked here and handed to it.
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
        catch (IOException ex) {
            throw new IllegalStateException("Cannot find a free port for redis-server", ex);
        }
    }

    @Override
    public String host() {
        return "127.0.0.1";
    }

    @Override
    public int port() {
        return this.port;
    }

    @Override
    public synchronized boolean isRunning() {
        return this.process != null && this.process.isAlive() && RespClient.ping(host(), this.port);
    }

    @Override
    public synchronized void start() {
        if (this.process != null && this.process.isAlive()) {
            return;
        }
        ProcessBuilder builder = new ProcessBuilder(this.executable, "--port", String.valueOf(this.port), "--bind",
                "127.0.0.1", "--save", "", "--appendonly", "no", "--protected-mode", "no");
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
                throw new IllegalStateException("redis-server exited at startup (code " + this.process.exitValue()
                        + "); its log: " + this.logFile + "\n" + readLog());
            }
            if (RespClient.ping(host(), this.port)) {
                return;
            }
            pause();
        }
        this.process.destroyForcibly();
        throw new IllegalStateException("redis-server did not answer PING on port " + this.port + " within "
                + STARTUP_TIMEOUT + "; its log: " + this.logFile + "\n" + readLog());
    }

    @Override
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

    @Override
    public void flushAll() {
        RespClient.command(host(), this.port, "FLUSHALL");
    }

    @Override
    public void close() {
        stop();
        try {
            Files.deleteIfExists(this.logFile);
        }
        catch (IOException ex) {
            // A leftover temp file is harmless.
        }
    }

    @Override
    public String describe() {
        return "redis-server process on 127.0.0.1:" + this.port;
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
            throw new IllegalStateException("Interrupted while waiting for redis-server", ex);
        }
    }
}
