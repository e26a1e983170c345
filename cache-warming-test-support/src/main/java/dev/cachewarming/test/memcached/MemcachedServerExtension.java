package dev.cachewarming.test.memcached;

import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension that gives a test class a real Memcached server: a {@code memcached} child process on a free
 * loopback port, started once per JVM (the first time a test asks for it) and shared. Before each test the server is
 * started again if a previous test stopped it, and flushed. A test that cannot get a real server fails with a message
 * saying how to install one: it is never silently skipped.
 *
 * <pre>{@code
 * @ExtendWith(MemcachedServerExtension.class)
 * class MyMemcachedTests {
 *
 *     @DynamicPropertySource
 *     static void memcached(DynamicPropertyRegistry registry) {
 *         registry.add("cache-warming.memcached.servers", () -> MemcachedServerExtension.sharedServer().address());
 *     }
 *
 *     @Test
 *     void survivesAnOutage(MemcachedServer memcached) {
 *         memcached.stop();
 *         // ...
 *         memcached.start();   // same port, empty
 *     }
 * }
 * }</pre>
 */
public final class MemcachedServerExtension implements BeforeEachCallback, ParameterResolver {

    private static MemcachedServer shared;

    /**
     * Returns the JVM-wide server, starting it on first use.
     * @return the running server
     * @throws IllegalStateException when no {@code memcached} executable is available
     */
    public static synchronized MemcachedServer sharedServer() {
        if (shared == null) {
            if (MemcachedServer.findExecutable() == null) {
                throw new IllegalStateException("These tests need a real Memcached, and none can be started: no "
                        + "memcached executable was found. Install one (Debian: 'apt-get install -y memcached') or "
                        + "set MEMCACHED_SERVER to its path.");
            }
            shared = MemcachedServer.startOnFreePort();
            MemcachedServer server = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(server::close, "memcached-shutdown"));
        }
        return shared;
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        MemcachedServer server = sharedServer();
        if (!server.isRunning()) {
            server.start();
        }
        server.flushAll();
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext)
            throws ParameterResolutionException {
        return parameterContext.getParameter().getType() == MemcachedServer.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext)
            throws ParameterResolutionException {
        return sharedServer();
    }
}
