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
 * <p>{@link #pause()} and {@link #resume()} send it SIGSTOP and SIGCONT (with the {@code kill} command, which
 * Java has no API for), {@link #kill()} SIGKILL.
 *
 * <p>Used when no Docker engine is available. {@code redis-server} must be on the {@code PATH} (Debian:
 * {@code apt-get install -y redis-server}) or named by the {@code REDIS_SERVER} environment variable.
 */
public final class RedisProcessServer implements RedisServer {

    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(10);

    private final String executable;
    private final int port;
    private final Path logFile;

    private final List<String> extraArguments;
    private Process process;

    private boolean paused;

    private RedisProcessServer(String executable, int port, List<String> extraArguments) {
        this.executable = executable;
        this.port = port;
        this.extraArguments = List.copyOf(extraArguments);
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
        RedisProcessServer server = new RedisProcessServer(requireExecutable(), freePort(), List.of());
        server.start();
        return server;
    }

    /**
     * Starts a new server on a given port with more {@code redis-server} arguments (a cluster node, say).
     * @param port the port
     * @param extraArguments arguments after the harness's own ({@code --port}, {@code --bind}, no persistence)
     * @return the running server
     */
    static RedisProcessServer startOnPort(int port, List<String> extraArguments) {
        RedisProcessServer server = new RedisProcessServer(requireExecutable(), port, extraArguments);
        server.start();
        return server;
    }

    private static String requireExecutable() {
        String executable = findExecutable();
        if (executable == null) {
            throw new IllegalStateException("No redis-server executable found: install it (Debian: "
                    + "'apt-get install -y redis-server') or set REDIS_SERVER to its path");
        }
        return executable;
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
        // A paused server would only let PING wait for its read timeout.
        return this.process != null && this.process.isAlive() && !this.paused && RespClient.ping(host(), this.port);
    }

    @Override
    public synchronized void pause() {
        if (this.paused || this.process == null || !this.process.isAlive()) {
            return;
        }
        signal("STOP");
        awaitState(true);
        this.paused = true;
    }

    @Override
    public synchronized void resume() {
        if (!this.paused) {
            return;
        }
        this.paused = false;
        if (this.process != null && this.process.isAlive()) {
            signal("CONT");
            awaitState(false);
        }
    }

    @Override
    public synchronized boolean isPaused() {
        return this.paused;
    }

    @Override
    public synchronized void kill() {
        if (this.process == null) {
            return;
        }
        // SIGKILL reaches a stopped process too; no SIGCONT first, so it never answers again.
        this.process.destroyForcibly();
        try {
            this.process.waitFor(5, TimeUnit.SECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        this.process = null;
        this.paused = false;
    }

    /** @return the server's process id, for tools that signal it themselves */
    public synchronized long pid() {
        if (this.process == null) {
            throw new IllegalStateException(describe() + " is not running");
        }
        return this.process.pid();
    }

    private void signal(String signal) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(this.process.pid()))
                .redirectErrorStream(true)
                .start();
            if (!kill.waitFor(5, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + signal + " " + this.process.pid() + " failed: "
                        + new String(kill.getInputStream().readAllBytes()));
            }
        }
        catch (IOException ex) {
            throw new IllegalStateException("Cannot run kill -" + signal, ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while signalling redis-server", ex);
        }
    }

    /**
     * Waits until the kernel shows the process stopped (or running again): a signal is delivered asynchronously,
     * and a test that pauses Redis must be able to rely on it being paused when {@link #pause()} returns.
     */
    private void awaitState(boolean stopped) {
        Path stat = Path.of("/proc", String.valueOf(this.process.pid()), "stat");
        if (!Files.isReadable(stat)) {
            return;
        }
        long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                String content = Files.readString(stat);
                // "pid (comm) S ...": the state follows the command name's closing parenthesis.
                char state = content.charAt(content.lastIndexOf(')') + 2);
                if ((state == 'T' || state == 't') == stopped) {
                    return;
                }
            }
            catch (IOException | RuntimeException ex) {
                return;
            }
            pause(1);
        }
        throw new IllegalStateException("redis-server " + this.process.pid() + " did not "
                + (stopped ? "stop" : "continue") + " within " + STARTUP_TIMEOUT);
    }

    @Override
    public synchronized void start() {
        if (this.process != null && this.process.isAlive()) {
            return;
        }
        List<String> command = new java.util.ArrayList<>(List.of(this.executable, "--port", String.valueOf(this.port),
                "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--protected-mode", "no"));
        command.addAll(this.extraArguments);
        ProcessBuilder builder = new ProcessBuilder(command);
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
            pause(20);
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
        // A stopped process would hold SIGTERM pending until it is continued.
        resume();
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

    private static void pause(long millis) {
        try {
            // Polling a child process that is starting or being signalled: there is no event to wait on.
            Thread.sleep(millis);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for redis-server", ex);
        }
    }
}
