package dev.cachewarming.write;

/** Boot's Redis and Jackson auto-configurations, which the write tests combine with ours. */
final class TestRedis {

    static final Class<?>[] AUTO_CONFIGURATIONS = classes(
            "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration",
            "org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration");

    private TestRedis() {
    }

    static Class<?>[] classes(String... names) {
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
