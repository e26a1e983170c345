package dev.cachewarming.macrobench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** Starts application instances (Spring Boot contexts) the way the benchmarks run them: no web, quiet logs. */
final class Instances {

    private Instances() {
    }

    /**
     * @param application the configuration class
     * @param properties more properties, {@code name=value}
     * @return the running instance
     */
    static ConfigurableApplicationContext start(Class<?> application, String... properties) {
        List<String> all = new ArrayList<>(List.of("spring.main.web-application-type=none",
                "spring.main.banner-mode=off", "logging.level.root=WARN",
                "spring.main.log-startup-info=false", "cache-warming.warmup.remember.directory=target/bench-hot-keys"));
        all.addAll(Arrays.asList(properties));
        return new SpringApplicationBuilder(application).properties(all.toArray(String[]::new)).run();
    }

    /**
     * Waits (1 ms polls, so timings are within a millisecond) until an instance's warm-up has finished, which is
     * when its readiness gate opens.
     * @param warming the instance's warming
     */
    static void awaitWarmedUp(dev.cachewarming.warming.CacheWarming warming) {
        while (!warming.state().isFinished()) {
            java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
        }
    }

    /**
     * @param groups property arrays
     * @return them concatenated
     */
    static String[] concat(String[]... groups) {
        List<String> all = new ArrayList<>();
        for (String[] group : groups) {
            all.addAll(Arrays.asList(group));
        }
        return all.toArray(String[]::new);
    }
}
