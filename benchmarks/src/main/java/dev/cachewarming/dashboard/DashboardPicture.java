package dev.cachewarming.dashboard;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Draws {@code docs/grafana/dashboard.png}: the panels of {@code docs/grafana/cache-warming.json}, computed with the
 * same queries from a real run of the sample, since no Grafana is at hand.
 * <p>
 * Against a running sample (with the {@code prometheus} profile) it starts the traffic generator, scrapes
 * {@code /actuator/prometheus} once a second and, along the way, re-warms {@code products}, pauses Redis for a few
 * seconds ({@code CLIENT PAUSE}, when given its port) and forces a stampede; then it evaluates the dashboard's
 * expressions over the scrapes and renders them with XChart. Only loopback addresses are accepted.
 * <pre>
 * java -cp ... dev.cachewarming.dashboard.DashboardPicture http://127.0.0.1:8080 [seconds=80] [redisPort] [out.png]
 * </pre>
 */
public final class DashboardPicture {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

    private final URI base;

    private DashboardPicture(URI base) {
        this.base = base;
    }

    public static void main(String[] args) throws Exception {
        URI base = URI.create((args.length > 0) ? args[0] : "http://127.0.0.1:8080");
        int seconds = Math.min(600, (args.length > 1) ? Integer.parseInt(args[1]) : 80);
        int redisPort = (args.length > 2) ? Integer.parseInt(args[2]) : 0;
        Path out = Path.of((args.length > 3) ? args[3] : "docs/grafana/dashboard.png");
        if (!InetAddress.getByName(base.getHost()).isLoopbackAddress()) {
            throw new IllegalArgumentException("Only a sample on a loopback address is scraped, not " + base);
        }
        List<Scrape> scrapes = new DashboardPicture(base).run(seconds, redisPort);
        String cache = "products";
        new DashboardPanels(new Queries(scrapes, 5), cache).render(out,
                "cache-warming  |  cache = " + cache + "  |  " + scrapes.size() + " scrapes of the sample ("
                        + ((redisPort > 0) ? "redis profile" : "embedded") + "), 1 s apart, rate window 5 s");
        System.out.println("Wrote " + out.toAbsolutePath());
    }

    private List<Scrape> run(int seconds, int redisPort) throws Exception {
        post("/api/traffic/start");
        List<Scrape> scrapes = new ArrayList<>();
        long start = System.nanoTime();
        for (int tick = 0; tick <= seconds; tick++) {
            long due = start + tick * 1_000_000_000L;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                // Pacing, not waiting for a condition: the panels need one scrape per second of wall time.
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
            String text = get("/actuator/prometheus");
            scrapes.add(Scrape.parse((System.nanoTime() - start) / 1e9, text));
            act(tick, seconds, redisPort);
        }
        post("/api/traffic/stop");
        return scrapes;
    }

    /** The run's events, at fixed fractions of it, each on its own thread so the scrapes stay 1 s apart. */
    private void act(int tick, int seconds, int redisPort) {
        if (tick == seconds / 4 || tick == seconds * 3 / 5) {
            background("re-warm products", () -> post("/actuator/warming/products"));
        }
        if (redisPort > 0 && tick == seconds * 2 / 5) {
            background("pause Redis 4 s", () -> pauseRedis(redisPort, 4000));
        }
        if (tick == seconds * 4 / 5) {
            background("stampede on product 4242",
                    () -> post("/api/stampede/4242?callers=200") + post("/api/stampede/4343?callers=200"));
        }
    }

    private void background(String what, Action action) {
        Thread thread = new Thread(() -> {
            try {
                System.out.println(what + ": " + action.run());
            }
            catch (Exception ex) {
                System.out.println(what + " failed: " + ex);
            }
        }, what);
        thread.setDaemon(true);
        thread.start();
    }

    private String get(String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(this.base.resolve(path)).timeout(TIMEOUT).GET().build();
        HttpResponse<String> response = this.http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("GET " + path + ": " + response.statusCode()
                    + " (is the sample running with the prometheus profile?)");
        }
        return response.body();
    }

    private String post(String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(this.base.resolve(path)).timeout(Duration.ofSeconds(30))
            .POST(HttpRequest.BodyPublishers.noBody()).build();
        HttpResponse<String> response = this.http.send(request, HttpResponse.BodyHandlers.ofString());
        return response.statusCode() + " " + response.body();
    }

    /** {@code CLIENT PAUSE millis}: Redis holds every client's commands that long, so the sample's time out. */
    private static String pauseRedis(int port, int millis) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(2000);
            String arg = Integer.toString(millis);
            String command = "*3\r\n$6\r\nCLIENT\r\n$5\r\nPAUSE\r\n$" + arg.length() + "\r\n" + arg + "\r\n";
            OutputStream out = socket.getOutputStream();
            out.write(command.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            byte[] reply = new byte[64];
            int n = socket.getInputStream().read(reply);
            return new String(reply, 0, Math.max(n, 0), StandardCharsets.US_ASCII).trim();
        }
    }

    static Predicate<Map<String, String>> labels(String... pairs) {
        return (labels) -> {
            for (int i = 0; i < pairs.length; i += 2) {
                if (!pairs[i + 1].equals(labels.get(pairs[i]))) {
                    return false;
                }
            }
            return true;
        };
    }

    @FunctionalInterface
    private interface Action {

        String run() throws Exception;
    }
}
