package dev.cachewarming.test.redis;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

    @Test
    void pausedServerKeepsItsConnectionsButAnswersNothingUntilResumed(RedisServer redis) throws IOException {
        RespClient.command(redis.host(), redis.port(), "SET", "k", "v");
        try (Socket client = connect(redis)) {
            redis.pause();
            assertThat(redis.isPaused()).isTrue();
            assertThat(redis.isRunning()).as("answers").isFalse();

            send(client, "GET", "k");
            client.setSoTimeout(300);
            assertThatThrownBy(() -> client.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);

            redis.resume();
            assertThat(redis.isPaused()).isFalse();
            client.setSoTimeout(5000);
            assertThat(readLine(client.getInputStream())).as("the reply to the command sent while paused")
                .isEqualTo("$1");
            assertThat(readLine(client.getInputStream())).isEqualTo("v");
        }
        assertThat(redis.isRunning()).isTrue();
    }

    @Test
    void killedServerResetsItsConnectionsAndRestartsEmptyOnTheSamePort(RedisServer redis) throws IOException {
        int port = redis.port();
        RespClient.command(redis.host(), port, "SET", "k", "v");
        try (Socket client = connect(redis)) {
            redis.kill();

            assertThat(redis.isRunning()).isFalse();
            assertThat(RespClient.ping(redis.host(), port)).as("refused").isFalse();
            client.setSoTimeout(5000);
            assertThat(endOfStreamOrReset(client)).as("the old connection is closed").isTrue();
        }

        redis.restart();
        assertThat(redis.port()).isEqualTo(port);
        assertThat(redis.isRunning()).isTrue();
        assertThat(RespClient.command(redis.host(), port, "EXISTS", "k")).isEqualTo(":0");
    }

    @Test
    void pausedServerCanBeKilledAndRestarted(RedisServer redis) {
        RespClient.command(redis.host(), redis.port(), "SET", "k", "v");
        redis.pause();

        redis.restart();

        assertThat(redis.isPaused()).isFalse();
        assertThat(redis.isRunning()).isTrue();
        assertThat(RespClient.command(redis.host(), redis.port(), "EXISTS", "k")).isEqualTo(":0");
    }

    @Test
    void restartOfARunningServerEmptiesIt(RedisServer redis) {
        RespClient.command(redis.host(), redis.port(), "SET", "k", "v");

        redis.restart();

        assertThat(RespClient.command(redis.host(), redis.port(), "EXISTS", "k")).isEqualTo(":0");
    }

    /** @return whether the connection ended: an end of stream (FIN) or a reset (RST), as the kernel chooses */
    private static boolean endOfStreamOrReset(Socket socket) throws IOException {
        try {
            return socket.getInputStream().read() == -1;
        }
        catch (SocketException ex) {
            return "Connection reset".equals(ex.getMessage());
        }
    }

    private static Socket connect(RedisServer redis) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress(redis.host(), redis.port()), 1000);
        return socket;
    }

    private static void send(Socket socket, String... args) throws IOException {
        StringBuilder request = new StringBuilder("*").append(args.length).append("\r\n");
        for (String arg : args) {
            request.append('$').append(arg.length()).append("\r\n").append(arg).append("\r\n");
        }
        socket.getOutputStream().write(request.toString().getBytes(StandardCharsets.UTF_8));
        socket.getOutputStream().flush();
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) != -1 && c != '\n') {
            line.append((char) c);
        }
        return line.toString().trim();
    }
}
