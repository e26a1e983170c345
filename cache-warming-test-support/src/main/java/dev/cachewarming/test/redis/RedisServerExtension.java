package dev.cachewarming.test.redis;

import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension that gives a test class a real Redis server.
 *
 * <p>One server is started per JVM (the first time a test asks for it) and shared: Testcontainers when a Docker
 * engine is available, otherwise a {@code redis-server} child process on a free port. Before each test the
 * server is resumed or started again if a previous test paused, stopped or killed it, and flushed. A test that cannot get a real server fails
 * with a message saying how to provide one: it is never silently skipped.
 *
 * <pre>{@code
 * @ExtendWith(RedisServerExtension.class)
 * class MyRedisTests {
 *
 *     @Test
 *     void survivesAnOutage(RedisServer redis) {
 *         redis.pause();     // or kill(), stop()
 *         // ...
 *         redis.resume();    // or restart(), start()
 *     }
 * }
 * }</pre>
 *
 * <p>For Spring tests, read the address in a {@code @DynamicPropertySource} with {@link #sharedServer()}.
 */
public final class RedisServerExtension implements BeforeEachCallback, ParameterResolver {

    private static RedisServer shared;

    /**
     * Returns the JVM-wide server, starting it on first use.
     * @return the running server
     * @throws IllegalStateException when neither Docker nor a {@code redis-server} executable is available
     */
    public static synchronized RedisServer sharedServer() {
        if (shared == null) {
            shared = startServer();
            RedisServer server = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(server::close, "redis-server-shutdown"));
        }
        return shared;
    }

    private static RedisServer startServer() {
        boolean forceProcess = "process".equalsIgnoreCase(System.getenv("CACHE_WARMING_TEST_REDIS"));
        if (!forceProcess && RedisContainerServer.isDockerAvailable()) {
            return RedisContainerServer.startOnFreePort();
        }
        if (RedisProcessServer.findExecutable() != null) {
            return RedisProcessServer.startOnFreePort();
        }
        throw new IllegalStateException("These tests need a real Redis, and none can be started: no Docker engine "
                + "answers and no redis-server executable was found. Install one (Debian: 'apt-get install -y "
                + "redis-server'), set REDIS_SERVER to its path, or start a Docker engine.");
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        RedisServer server = sharedServer();
        server.resume();
        if (!server.isRunning()) {
            server.start();
        }
        server.flushAll();
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext)
            throws ParameterResolutionException {
        return parameterContext.getParameter().getType() == RedisServer.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext)
            throws ParameterResolutionException {
        return sharedServer();
    }
}
