package dev.cachewarming.test.redis;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A local Redis Cluster of {@code redis-server} child processes ({@code --cluster-enabled yes}), created with
 * {@code redis-cli --cluster create ... --cluster-replicas N}, for tests and benchmarks of a failover:
 *
 * <pre>{@code
 * try (RedisProcessCluster cluster = RedisProcessCluster.start(3, 1, Duration.ofSeconds(2))) {
 *     // spring.data.redis.cluster.nodes = String.join(",", cluster.nodeAddresses())
 *     cluster.masters().get(0).kill();          // SIGKILL: its replica takes over after the node timeout
 *     cluster.awaitStable(Duration.ofSeconds(30));
 * }
 * }</pre>
 *
 * <p>Every node listens on loopback without persistence; the cluster's node files live in a temporary directory
 * removed by {@link #close()}. Needs {@code redis-server} and {@code redis-cli} (Debian: {@code redis-server},
 * which depends on {@code redis-tools}).
 */
public final class RedisProcessCluster implements AutoCloseable {

    private static final int SLOTS = 16384;

    private final Path directory;

    private final List<RedisProcessServer> nodes;

    private RedisProcessCluster(Path directory, List<RedisProcessServer> nodes) {
        this.directory = directory;
        this.nodes = nodes;
    }

    /**
     * Starts the nodes, creates the cluster and waits until every slot is served.
     * @param masters how many masters (at least 3, as {@code redis-cli --cluster create} requires)
     * @param replicasPerMaster replicas of each master
     * @param nodeTimeout {@code cluster-node-timeout}: how long a master may not answer before a replica takes over
     * @return the running cluster
     * @throws IllegalStateException if a node does not start or the cluster does not form within 30 s
     */
    public static RedisProcessCluster start(int masters, int replicasPerMaster, Duration nodeTimeout) {
        Path directory;
        try {
            directory = Files.createTempDirectory("redis-cluster-");
        }
        catch (IOException ex) {
            throw new IllegalStateException("Cannot create a directory for the cluster's node files", ex);
        }
        List<RedisProcessServer> nodes = new ArrayList<>();
        RedisProcessCluster cluster = new RedisProcessCluster(directory, nodes);
        try {
            int count = masters * (1 + replicasPerMaster);
            for (int i = 0; i < count; i++) {
                int port = freeClusterPort();
                nodes.add(RedisProcessServer.startOnPort(port, List.of("--cluster-enabled", "yes",
                        "--cluster-config-file", "nodes-" + port + ".conf", "--cluster-node-timeout",
                        String.valueOf(nodeTimeout.toMillis()), "--dir", directory.toString())));
            }
            List<String> create = new ArrayList<>(List.of(redisCli(), "--cluster", "create"));
            create.addAll(cluster.nodeAddresses());
            create.addAll(List.of("--cluster-replicas", String.valueOf(replicasPerMaster), "--cluster-yes"));
            run(create);
            cluster.awaitStable(Duration.ofSeconds(30));
            return cluster;
        }
        catch (RuntimeException ex) {
            cluster.close();
            throw ex;
        }
    }

    /** @return every node's {@code host:port}, as {@code spring.data.redis.cluster.nodes} takes them */
    public List<String> nodeAddresses() {
        return this.nodes.stream().map((node) -> node.host() + ":" + node.port()).toList();
    }

    /** @return every node, masters and replicas, in the order they were started */
    public List<RedisProcessServer> nodes() {
        return List.copyOf(this.nodes);
    }

    /** @return the nodes that serve slots now, as a running node sees it */
    public List<RedisProcessServer> masters() {
        List<RedisProcessServer> masters = new ArrayList<>();
        for (String[] node : clusterNodes(firstRunning())) {
            if (servesSlots(node) && !node[2].contains("fail")) {
                masters.add(node(port(node)));
            }
        }
        return masters;
    }

    /**
     * Waits until every running node reports {@code cluster_state:ok} with all slots served by masters that are
     * not failing: after a master is killed, until its replica has taken over.
     * @param timeout how long to wait
     * @throws IllegalStateException if that does not happen in time
     */
    public void awaitStable(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            last = stability();
            if (last.isEmpty()) {
                return;
            }
            pause();
        }
        throw new IllegalStateException("Redis Cluster not stable within " + timeout + ": " + last);
    }

    /** @return why the cluster is not stable, or an empty string if it is */
    private String stability() {
        for (RedisProcessServer node : this.nodes) {
            if (!node.isRunning()) {
                continue;
            }
            String info;
            try {
                info = RespClient.bulk(node.host(), node.port(), "CLUSTER", "INFO");
            }
            catch (IllegalStateException ex) {
                return node.port() + " does not answer";
            }
            if (!info.contains("cluster_state:ok") || !info.contains("cluster_slots_ok:" + SLOTS)) {
                return node.port() + " reports " + info.lines().limit(4).toList();
            }
            // Right after a kill the others still count the dead master in: it must have been replaced.
            List<String[]> listedNodes = clusterNodes(node);
            for (String[] listed : listedNodes) {
                if (servesSlots(listed) && (listed[2].contains("fail") || !node(port(listed)).isRunning())) {
                    return node.port() + " still lists " + listed[1] + " (" + listed[2] + ") as serving slots";
                }
            }
            // A replica that never synchronized with its master would refuse to take over from it.
            String[] myself = listedNodes.stream().filter((listed) -> listed[2].contains("myself")).findFirst()
                .orElseThrow();
            if (myself[2].contains("slave") && masterIsRunning(listedNodes, myself[3])
                    && !RespClient.bulk(node.host(), node.port(), "INFO", "replication")
                        .contains("master_link_status:up")) {
                return "replica " + node.port() + " has not synchronized with its master yet";
            }
        }
        return "";
    }

    private boolean masterIsRunning(List<String[]> listedNodes, String masterId) {
        return listedNodes.stream()
            .anyMatch((listed) -> listed[0].equals(masterId) && !listed[2].contains("fail")
                    && node(port(listed)).isRunning());
    }

    private static boolean servesSlots(String[] node) {
        return node[2].contains("master") && node.length > 8;
    }

    private static int port(String[] node) {
        return Integer.parseInt(node[1].substring(node[1].indexOf(':') + 1, node[1].indexOf('@')));
    }

    private RedisProcessServer node(int port) {
        return this.nodes.stream()
            .filter((node) -> node.port() == port)
            .findFirst()
            .orElseThrow(() -> new IllegalStateException("No node on port " + port));
    }

    private RedisProcessServer firstRunning() {
        return this.nodes.stream()
            .filter(RedisProcessServer::isRunning)
            .findFirst()
            .orElseThrow(() -> new IllegalStateException("No node of the cluster is running"));
    }

    private static List<String[]> clusterNodes(RedisProcessServer node) {
        String reply = RespClient.bulk(node.host(), node.port(), "CLUSTER", "NODES");
        return reply.lines().filter((line) -> !line.isBlank()).map((line) -> line.split(" ")).toList();
    }

    /** Kills every node and deletes the node files. */
    @Override
    public void close() {
        this.nodes.forEach(RedisProcessServer::close);
        try (Stream<Path> files = Files.walk(this.directory)) {
            files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        }
        catch (IOException ex) {
            // A leftover temporary directory is harmless.
        }
    }

    /** A port that is free, and whose cluster bus port (+10000) is free too. */
    private static int freeClusterPort() {
        for (int attempt = 0; attempt < 100; attempt++) {
            try (ServerSocket socket = new ServerSocket(0)) {
                int port = socket.getLocalPort();
                if (port + 10000 > 65535) {
                    continue;
                }
                try (ServerSocket bus = new ServerSocket()) {
                    bus.bind(new InetSocketAddress("127.0.0.1", port + 10000));
                    return port;
                }
                catch (IOException busTaken) {
                    // try another
                }
            }
            catch (IOException ex) {
                throw new IllegalStateException("Cannot find a free port for a cluster node", ex);
            }
        }
        throw new IllegalStateException("No free port pair (port, port + 10000) for a cluster node");
    }

    private static String redisCli() {
        String server = RedisProcessServer.findExecutable();
        if (server != null) {
            File sibling = new File(new File(server).getParentFile(), "redis-cli");
            if (sibling.canExecute()) {
                return sibling.getAbsolutePath();
            }
        }
        return "redis-cli";
    }

    private static void run(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed:\n"
                        + new String(output, StandardCharsets.UTF_8));
            }
        }
        catch (IOException ex) {
            throw new IllegalStateException("Cannot run " + command.get(0) + " (Debian: apt-get install redis-tools)",
                    ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating the cluster", ex);
        }
    }

    private static void pause() {
        try {
            // Polling the nodes' own view of the cluster: there is no event to wait on.
            Thread.sleep(50);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for the cluster", ex);
        }
    }
}
