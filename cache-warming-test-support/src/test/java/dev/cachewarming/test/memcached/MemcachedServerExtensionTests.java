package dev.cachewarming.test.memcached;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(MemcachedServerExtension.class)
class MemcachedServerExtensionTests {

    @Test
    void providesARunningServerThatAnswersVersion(MemcachedServer memcached) {
        assertThat(memcached.isRunning()).isTrue();
        assertThat(memcached.command("version")).startsWith("VERSION 1.");
    }

    @Test
    void stopsAndStartsOnTheSamePortWithNoDataKept(MemcachedServer memcached) {
        int port = memcached.port();
        assertThat(memcached.command("set k 0 0 1\r\nv")).isEqualTo("STORED");

        memcached.stop();
        assertThat(memcached.isRunning()).isFalse();

        memcached.start();
        assertThat(memcached.port()).isEqualTo(port);
        assertThat(memcached.isRunning()).isTrue();
        assertThat(memcached.command("get k")).isEqualTo("END");
    }

    @Test
    void eachTestStartsWithAnEmptyServer(MemcachedServer memcached) {
        assertThat(memcached.command("get k")).isEqualTo("END");
    }

    @Test
    void itsLruCrawlerDumpsKeys(MemcachedServer memcached) {
        memcached.command("set dumped 0 0 1\r\nv");
        assertThat(memcached.command("lru_crawler metadump all")).startsWith("key=dumped ");
    }
}
