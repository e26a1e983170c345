package dev.cachewarming.sample;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

/**
 * The sample as {@code spring-boot:process-aot} built it (the {@code aot} profile), started from its jar with
 * {@code -Dspring.aot.enabled=true} in a JVM of its own: the context comes from the generated bean definitions,
 * the instance warms and becomes ready, and the cached service and repository methods serve. Also checks that the
 * generated native-image metadata holds the starter's hints for the sample's annotated methods.
 */
class AotProcessedSampleIT {

    private static final Duration STARTUP = Duration.ofSeconds(90);

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private static Process sample;

    private static Path log;

    private static int port;

    @BeforeAll
    static void startAotProcessedJar() throws Exception {
        Path jar = Path.of(System.getProperty("sample.jar", "target/sample-app-0.1.0-SNAPSHOT.jar"));
        assertThat(jar).as("the repackaged sample jar (run with -Paot)").exists();
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        log = jar.resolveSibling("aot-sample.log");
        // The same JDK as this test: CI runs it on 17 and on 25.
        String java = ProcessHandle.current().info().command().orElse("java");
        sample = new ProcessBuilder(java, "-Dspring.aot.enabled=true", "-jar", jar.toString(),
                "--server.port=" + port, "--sample.catalog.size=5000", "--cache-warming.warmup.remember.enabled=false")
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
        awaitReady();
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (sample != null) {
            sample.destroy();
            if (!sample.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                sample.destroyForcibly();
            }
        }
    }

    private static void awaitReady() {
        try {
            await().atMost(STARTUP).pollInterval(Duration.ofMillis(250)).until(() -> {
                if (!sample.isAlive()) {
                    fail("The AOT-processed sample exited with " + sample.exitValue() + ":\n" + logTail());
                }
                try {
                    return get("/actuator/health/readiness").statusCode() == 200;
                }
                catch (IOException ex) {
                    return false; // not listening yet
                }
            });
        }
        catch (org.awaitility.core.ConditionTimeoutException ex) {
            fail("The AOT-processed sample was not ready within " + STARTUP + ":\n" + logTail());
        }
    }

    @Test
    void contextComesFromTheAotGeneratedBeanDefinitions() throws IOException {
        assertThat(Files.readString(log)).contains("Starting AOT-processed SampleApplication");
    }

    @Test
    void bestSellersAreWarmedBeforeTheInstanceIsReady() throws Exception {
        JsonNode products = JSON.readTree(get("/actuator/warming").body()).path("caches").path("products");

        assertThat(products.path("warmup").path("planned").asInt()).isEqualTo(2000);
        assertThat(products.path("warmup").path("loaded").asLong() + products.path("warmup").path("fromL2").asLong())
            .isEqualTo(2000);
        assertThat(products.path("warmup").path("failed").asLong()).isZero();
    }

    @Test
    void cachedServiceAndRepositoryMethodsServe() throws Exception {
        HttpResponse<String> product = get("/products/4242");
        HttpResponse<String> bySku = get("/products/sku/SKU-7");
        HttpResponse<String> bySkuAgain = get("/products/sku/SKU-7");

        assertThat(product.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(product.body()).path("sku").asString()).isEqualTo("SKU-4242");
        assertThat(bySku.statusCode()).isEqualTo(200);
        assertThat(bySkuAgain.body()).isEqualTo(bySku.body());
        assertThat(JSON.readTree(get("/actuator/warming/productsBySku").body()).path("size").asLong())
            .isGreaterThanOrEqualTo(1);
    }

    @Test
    void nativeImageMetadataHoldsTheHintsForTheAnnotatedMethods() throws IOException {
        Path metadata = Path.of("target/spring-aot/main/resources/META-INF/native-image/dev.cachewarming/sample-app/"
                + "reachability-metadata.json");
        JsonNode reflection = JSON.readTree(metadata.toFile()).path("reflection");

        assertThat(methodsOf(reflection, "dev.cachewarming.sample.catalog.CatalogService"))
            .contains("findProduct", "bestSellerIds");
        assertThat(methodsOf(reflection, "dev.cachewarming.sample.catalog.ProductRepository")).contains("findBySku");
        assertThat(methodsOf(reflection, "dev.cachewarming.sample.catalog.Product")).contains("getSku");
        assertThat(methodsOf(reflection, "dev.cachewarming.cache.EntryCodec$Envelope")).contains("v", "w", "e", "l");
    }

    private static List<String> methodsOf(JsonNode reflection, String type) {
        List<String> names = new ArrayList<>();
        for (JsonNode entry : reflection) {
            if (type.equals(entry.path("type").asString(""))) {
                entry.path("methods").forEach((method) -> names.add(method.path("name").asString()));
            }
        }
        return names;
    }

    private static HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
            .timeout(Duration.ofSeconds(10))
            .build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String logTail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
        }
        catch (IOException ex) {
            return "(no log: " + ex.getMessage() + ")";
        }
    }
}
