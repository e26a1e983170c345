package dev.cachewarming.test.redis;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(RedisServerExtension.class)
class RedisServerExtensionTests {

    @Test
    void providesARunningServerThatAnswersPing(RedisServer redis) {
        assertThat(redis.isRunning()).isTrue();
        assertThat(RespClient.command(redis.host(), redis.port(), "PING")).isEqualTo("+PONG");
    }

    @Test
    void stopsAndStartsOnTheSamePortWithNoDataKept(RedisServer redis) {
        int port = redis.port();
        RespClient.command(redis.host(), port, "SET", "k", "v");

        redis.stop();
        assertThat(redis.isRunning()).isFalse();
        assertThat(RespClient.ping(redis.host(), port)).isFalse();

        redis.start();
        assertThat(redis.port()).isEqualTo(port);
        assertThat(redis.isRunning()).isTrue();
        assertThat(RespClient.command(redis.host(), port, "EXISTS", "k")).isEqualTo(":0");
    }

    @Test
    void eachTestStartsWithAnEmptyServer(RedisServer redis) {
        assertThat(RespClient.command(redis.host(), redis.port(), "DBSIZE")).isEqualTo(":0");
    }
}
