package dev.cachewarming.autoconfigure;

import dev.cachewarming.test.redis.RedisServer;

/** Boot auto-configurations and properties the tests combine with ours. */
final class TestAutoConfigurations {

    static final Class<?>[] REDIS = classes(
            "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration",
            "org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration");

    private TestAutoConfigurations() {
    }

    /**
     * @param redis the test's Redis server
     * @return properties pointing Spring Data Redis at it, with short timeouts for fault tests
     */
    static String[] redisProperties(RedisServer redis) {
        return new String[] { "spring.data.redis.host=" + redis.host(), "spring.data.redis.port=" + redis.port(),
                "spring.data.redis.connect-timeout=500ms" };
    }

    /**
     * @param memcached the test's Memcached server
     * @return properties making it the shared tier, with short timeouts for fault tests
     */
    static String[] memcachedProperties(dev.cachewarming.test.memcached.MemcachedServer memcached) {
        return new String[] { "cache-warming.memcached.servers=" + memcached.address(),
                "cache-warming.memcached.connect-timeout=500ms" };
    }

    private static Class<?>[] classes(String... names) {
        Class<?>[] classes = new Class<?>[names.length];
        for (int i = 0; i < names.length; i++) {
            try {
                classes[i] = Class.forName(names[i]);
            }
            catch (ClassNotFoundException ex) {
                throw new IllegalStateException(ex);
            }
        }
        return classes;
    }
}
