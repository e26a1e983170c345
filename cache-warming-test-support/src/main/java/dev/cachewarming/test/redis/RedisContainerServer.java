package dev.cachewarming.test.redis;

import java.net.ServerSocket;
import java.io.IOException;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * Redis in a Testcontainers-managed container, used when a Docker engine is available.
 *
 * <p>The host port is fixed when the container is created (not left to Docker), so that stopping and starting
 * the container keeps the address clients reconnect to.
 */
public final class RedisContainerServer implements RedisServer {

    private static final DockerImageName IMAGE = DockerImageName.parse("redis:7.4-alpine");

    private final GenericContainer<?> container;
    private final int hostPort;

    private volatile boolean paused;

    @SuppressWarnings("resource")
    private RedisContainerServer(int hostPort) {
        this.hostPort = hostPort;
        this.container = new GenericContainer<>(IMAGE).withExposedPorts(6379)
            .withCommand("redis-server", "--save", "", "--appendonly", "no")
            .withCreateContainerCmdModifier((cmd) -> {
                HostConfig hostConfig = (cmd.getHostConfig() != null) ? cmd.getHostConfig() : new HostConfig();
                cmd.withHostConfig(hostConfig.withPortBindings(
                        new PortBinding(Ports.Binding.bindIpAndPort("127.0.0.1", hostPort), new ExposedPort(6379))));
            });
    }

    /** @return whether a Docker engine answers */
    public static boolean isDockerAvailable() {
        boolean configured = System.getenv("DOCKER_HOST") != null
                || new java.io.File("/var/run/docker.sock").exists()
                || new java.io.File(System.getProperty("user.home"), ".testcontainers.properties").exists();
        if (!configured) {
            // Asking Testcontainers with nothing configured logs an alarming ERROR before it answers no.
            return false;
        }
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        }
        catch (Throwable ex) {
            return false;
        }
    }

    /** @return a started container listening on a free host port */
    public static RedisContainerServer startOnFreePort() {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        catch (IOException ex) {
            throw new IllegalStateException("Cannot find a free port for the Redis container", ex);
        }
        RedisContainerServer server = new RedisContainerServer(port);
        server.container.start();
        return server;
    }

    @Override
    public String host() {
        return "127.0.0.1";
    }

    @Override
    public int port() {
        return this.hostPort;
    }

    @Override
    public boolean isRunning() {
        return !this.paused && RespClient.ping(host(), this.hostPort);
    }

    @Override
    public synchronized void pause() {
        if (!this.paused) {
            // The cgroup freezer: the same effect as SIGSTOP on a process.
            docker().pauseContainerCmd(this.container.getContainerId()).exec();
            this.paused = true;
        }
    }

    @Override
    public synchronized void resume() {
        if (this.paused) {
            docker().unpauseContainerCmd(this.container.getContainerId()).exec();
            this.paused = false;
        }
    }

    @Override
    public boolean isPaused() {
        return this.paused;
    }

    @Override
    public synchronized void kill() {
        resume();
        docker().killContainerCmd(this.container.getContainerId()).withSignal("SIGKILL").exec();
    }

    @Override
    public void start() {
        if (isRunning()) {
            return;
        }
        docker().startContainerCmd(this.container.getContainerId()).exec();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!RespClient.ping(host(), this.hostPort)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Redis container did not answer PING after restart");
            }
            Thread.onSpinWait();
        }
    }

    @Override
    public void stop() {
        resume();
        docker().stopContainerCmd(this.container.getContainerId()).withTimeout(5).exec();
    }

    @Override
    public void flushAll() {
        RespClient.command(host(), this.hostPort, "FLUSHALL");
    }

    @Override
    public void close() {
        this.container.stop();
    }

    @Override
    public String describe() {
        return "Redis container " + IMAGE + " on 127.0.0.1:" + this.hostPort;
    }

    private static DockerClient docker() {
        return DockerClientFactory.instance().client();
    }
}
