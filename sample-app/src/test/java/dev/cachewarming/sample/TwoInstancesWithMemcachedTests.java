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

import dev.cachewarming.test.memcached.MemcachedServer;
import dev.cachewarming.test.memcached.MemcachedServerExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two sample instances with the {@code memcached} profile (no Redis), sharing one real Memcached and one database.
 */
@ExtendWith(MemcachedServerExtension.class)
class TwoInstancesWithMemcachedTests {

    private final HttpClient http = HttpClient.newHttpClient();

    private static ConfigurableApplicationContext start(MemcachedServer memcached) {
        // Arguments, not default properties: the profile's own servers (localhost:11211) would win over those.
        return new SpringApplicationBuilder(SampleApplication.class).profiles("memcached")
            .run("--server.port=0", "--cache-warming.memcached.servers=" + memcached.address(),
                    "--sample.catalog.size=3000",
                    "--spring.datasource.url=jdbc:h2:mem:two-memcached-instances;DB_CLOSE_DELAY=-1",
                    "--spring.jpa.hibernate.ddl-auto=update", "--cache-warming.warmup.remember.enabled=false");
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

    private void awaitReady(ConfigurableApplicationContext instance) {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(this.http
            .send(HttpRequest.newBuilder(uri(instance, "/actuator/health/readiness")).build(),
                    HttpResponse.BodyHandlers.discarding())
            .statusCode()).isEqualTo(200));
    }

    @Test
    void secondInstanceWarmsFromMemcachedAndSeesAPriceUpdateWithinItsL1Ttl(MemcachedServer memcached)
            throws Exception {
        try (ConfigurableApplicationContext a = start(memcached)) {
            awaitReady(a);
            try (ConfigurableApplicationContext b = start(memcached)) {
                awaitReady(b);
                String warming = get(b, "/actuator/warming/products");
                assertThat(warming).as("B copied A's warmed keys from Memcached").doesNotContain("\"fromL2\":0,");
                assertThat(get(b, "/actuator/warming")).contains("\"backend\":\"memcached\"")
                    .contains("\"invalidations\":\"none\"");
                assertThat(get(b, "/products/2500")).contains("\"priceCents\":");

                post(a, "/api/products/2500/price?cents=4242");

                // No invalidation channel: B's copy lives until its l1-ttl (5 s in the profile), then B reads
                // Memcached.
                await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(get(b, "/products/2500")).contains("\"priceCents\":4242"));

                String stampede = post(b, "/api/stampede/2600?callers=200");
                assertThat(stampede).contains("\"callers\":200").contains("\"databaseLoads\":1");
            }
        }
    }
}
