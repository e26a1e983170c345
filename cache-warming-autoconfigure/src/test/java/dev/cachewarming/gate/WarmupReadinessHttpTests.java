package dev.cachewarming.gate;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.resttestclient.TestRestTemplate;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureTestRestTemplate;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.cachewarming.annotation.Warmable;
import dev.cachewarming.annotation.WarmupTier;
import dev.cachewarming.test.redis.RedisServer;
import dev.cachewarming.test.redis.RedisServerExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Readiness is held over real HTTP while a slow source warms; liveness is not.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = { "management.endpoints.web.exposure.include=health,warming",
                "management.endpoint.health.probes.enabled=true", "spring.jpa.hibernate.ddl-auto=none",
                "cache-warming.warmup.remember.enabled=false" })
@AutoConfigureTestRestTemplate
@ExtendWith(RedisServerExtension.class)
@DirtiesContext
class WarmupReadinessHttpTests {

    static final CountDownLatch SOURCE_GATE = new CountDownLatch(1);

    @DynamicPropertySource
    static void redis(DynamicPropertyRegistry registry) {
        RedisServer redis = RedisServerExtension.sharedServer();
        registry.add("spring.data.redis.host", redis::host);
        registry.add("spring.data.redis.port", redis::port);
    }

    /** A slow declared source: it answers only when the test lets it. */
    public static class SlowSource {

        public List<Long> keys() throws InterruptedException {
            SOURCE_GATE.await(60, TimeUnit.SECONDS);
            return LongStream.rangeClosed(1, 30).boxed().toList();
        }
    }

    public static class Catalog {

        @Warmable(cacheName = "gated", tier = WarmupTier.REQUIRED, keys = "@slowSource.keys()")
        public String item(Long id) {
            return "item-" + id;
        }
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class TestApplication {

        @Bean
        SlowSource slowSource() {
            return new SlowSource();
        }

        @Bean
        Catalog catalog() {
            return new Catalog();
        }
    }

    @Autowired
    private TestRestTemplate http;

    @AfterEach
    void openGate() {
        SOURCE_GATE.countDown();
    }

    @Test
    @SuppressWarnings("unchecked")
    void readinessIsOutOfServiceUntilWarmThenUpWhileLivenessStaysUp() {
        ResponseEntity<Map> readiness = this.http.getForEntity("/actuator/health/readiness", Map.class);
        assertThat(readiness.getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
        assertThat(readiness.getBody().get("status")).isEqualTo("OUT_OF_SERVICE");
        assertThat(this.http.getForEntity("/actuator/health/liveness", Map.class).getStatusCode())
            .isEqualTo(HttpStatus.OK);
        Map<String, Object> running = this.http.getForObject("/actuator/warming", Map.class);
        assertThat(running.get("state")).isEqualTo("RUNNING");

        SOURCE_GATE.countDown();

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                this.http.getForEntity("/actuator/health/readiness", Map.class).getStatusCode())
            .isEqualTo(HttpStatus.OK));
        assertThat(this.http.getForEntity("/actuator/health/liveness", Map.class).getStatusCode())
            .isEqualTo(HttpStatus.OK);

        Map<String, Object> report = this.http.getForObject("/actuator/warming", Map.class);
        assertThat(report.get("state")).isEqualTo("COMPLETED");
        assertThat(report).containsKeys("budget", "elapsed", "caches");
        Map<String, Object> gated = (Map<String, Object>) ((Map<String, Object>) report.get("caches")).get("gated");
        assertThat(gated).containsKeys("shared", "size", "warmup", "refresh", "stampede", "hotKeys");
        Map<String, Object> warmup = (Map<String, Object>) gated.get("warmup");
        assertThat(warmup).containsEntry("tier", "REQUIRED").containsEntry("loadMode", "key-by-key")
            .containsEntry("planned", 30)
            .containsEntry("loaded", 30).containsEntry("failed", 0).containsEntry("skipped", 0)
            .containsEntry("progress", 1.0).containsEntry("eta", "PT0S");
        assertThat((Map<String, Object>) warmup.get("sources")).containsExactlyEntriesOf(Map.of("declared", 30));
        Map<String, Object> concurrency = (Map<String, Object>) warmup.get("concurrency");
        assertThat((Integer) concurrency.get("maxInFlight")).as("loads at once").isBetween(1, 8);
        assertThat((Integer) concurrency.get("limit")).isBetween(1, 8);
        assertThat((Map<String, Object>) gated.get("stampede")).containsKeys("coalesced", "leasesAcquired",
                "leasesLost", "leasesExpired", "staleServed", "waitTimeouts");

        Map<String, Object> one = this.http.getForObject("/actuator/warming/gated", Map.class);
        assertThat(((Map<String, Object>) one.get("warmup")).get("loaded")).isEqualTo(30);
        assertThat(this.http.getForEntity("/actuator/warming/nope", String.class).getStatusCode())
            .isEqualTo(HttpStatus.NOT_FOUND);

        ResponseEntity<Map> rewarm = this.http.postForEntity("/actuator/warming/gated", null, Map.class);
        assertThat(rewarm.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(rewarm.getBody()).containsEntry("cache", "gated").containsEntry("state", "STARTED");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Map<String, Object> after = this.http.getForObject("/actuator/warming/gated", Map.class);
            // Re-warmed: the 30 keys are still in L1 and Redis, so they are copied from Redis, not loaded again.
            assertThat(((Map<String, Object>) after.get("warmup")).get("fromL2")).isEqualTo(30);
        });
    }
}
