package dev.cachewarming.sample;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import dev.cachewarming.test.redis.RedisServer;
import dev.cachewarming.test.redis.RedisServerExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two sample instances with the {@code redis} profile, sharing one real Redis and one database.
 */
@ExtendWith(RedisServerExtension.class)
class TwoInstancesWithRedisTests {

    private final HttpClient http = HttpClient.newHttpClient();

    private static ConfigurableApplicationContext start(RedisServer redis) {
        return new SpringApplicationBuilder(SampleApplication.class).profiles("redis")
            .properties("server.port=0", "spring.data.redis.host=" + redis.host(),
                    "spring.data.redis.port=" + redis.port(), "sample.catalog.size=3000",
                    "spring.datasource.url=jdbc:h2:mem:two-instances;DB_CLOSE_DELAY=-1",
                    "spring.jpa.hibernate.ddl-auto=update", "cache-warming.warmup.remember.enabled=false")
            .run();
    }

    private String get(ConfigurableApplicationContext instance, String path) throws Exception {
        return send(instance, HttpRequest.newBuilder(uri(instance, path)).GET().build());
    }

    private String post(ConfigurableApplicationContext instance, String path) throws Exception {
        return send(instance, HttpRequest.newBuilder(uri(instance, path)).POST(HttpRequest.BodyPublishers.noBody())
            .build());
    }

    private String send(ConfigurableApplicationContext instance, HttpRequest request) throws Exception {
        HttpResponse<String> response = this.http.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(request.uri().toString()).isEqualTo(200);
        return response.body();
    }

    private static URI uri(ConfigurableApplicationContext instance, String path) {
        int port = ((WebServerApplicationContext) instance).getWebServer().getPort();
        return URI.create("http://localhost:" + port + path);
    }

    @Test
    void aPriceUpdateOnOneInstanceIsServedByTheOtherAndAStampedeLoadsOnce(RedisServer redis) throws Exception {
        try (ConfigurableApplicationContext a = start(redis); ConfigurableApplicationContext b = start(redis)) {
            // As a load balancer would: send traffic once both instances are ready (warm).
            for (ConfigurableApplicationContext instance : new ConfigurableApplicationContext[] { a, b }) {
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(this.http
                    .send(HttpRequest.newBuilder(uri(instance, "/actuator/health/readiness")).build(),
                            HttpResponse.BodyHandlers.discarding())
                    .statusCode()).isEqualTo(200));
            }
            assertThat(get(b, "/products/2500")).contains("\"priceCents\":");

            post(a, "/api/products/2500/price?cents=4242");

            await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(get(b, "/products/2500")).contains("\"priceCents\":4242"));
            assertThat(post(b, "/api/products/2500/refresh")).as("CacheWarming.repopulate reads the committed price")
                .contains("\"priceCents\":4242");

            String stampede = post(a, "/api/stampede/2600?callers=200");
            assertThat(stampede).contains("\"callers\":200").contains("\"databaseLoads\":1");
        }
    }
}
