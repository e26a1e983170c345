package dev.cachewarming.test.redis;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RedisProcessClusterTests {

    @Test
    void aReplicaTakesOverTheSlotsOfAKilledMaster() {
        try (RedisProcessCluster cluster = RedisProcessCluster.start(3, 1, Duration.ofMillis(1000))) {
            assertThat(cluster.nodeAddresses()).hasSize(6);
            List<RedisProcessServer> masters = List.copyOf(cluster.masters());
            assertThat(masters).hasSize(3);
            RedisProcessServer victim = masters.get(0);

            victim.kill();
            cluster.awaitStable(Duration.ofSeconds(30));

            assertThat(cluster.masters()).hasSize(3).doesNotContain(victim).containsAll(masters.subList(1, 3));
        }
    }
}
