package dev.cachewarming.test.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * The few raw RESP round trips the harness needs (PING, FLUSHALL, CLUSTER INFO), so it depends on no Redis client
 * library.
 */
final class RespClient {

    private RespClient() {
    }

    static boolean ping(String host, int port) {
        try {
            return command(host, port, "PING").startsWith("+PONG");
        }
        catch (IllegalStateException ex) {
            return false;
        }
    }

    static String command(String host, int port, String... args) {
        return roundTrip(host, port, false, args);
    }

    /**
     * @return the reply's first line, or for a bulk string ({@code $<length>}) its content
     */
    static String bulk(String host, int port, String... args) {
        return roundTrip(host, port, true, args);
    }

    private static String roundTrip(String host, int port, boolean readBulk, String... args) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 500);
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            StringBuilder request = new StringBuilder("*").append(args.length).append("\r\n");
            for (String arg : args) {
                byte[] bytes = arg.getBytes(StandardCharsets.UTF_8);
                request.append('$').append(bytes.length).append("\r\n").append(arg).append("\r\n");
            }
            out.write(request.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder reply = new StringBuilder();
            int c;
            while ((c = in.read()) != -1 && c != '\n') {
                reply.append((char) c);
            }
            String first = reply.toString().trim();
            if (!readBulk || !first.startsWith("$") || first.equals("$-1")) {
                return first;
            }
            byte[] content = in.readNBytes(Integer.parseInt(first.substring(1)));
            return new String(content, StandardCharsets.UTF_8);
        }
        catch (IOException ex) {
            throw new IllegalStateException("Redis at " + host + ":" + port + " did not answer: " + ex.getMessage(),
                    ex);
        }
    }
}
