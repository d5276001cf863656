package piranha.journey;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** A client of the virtual service: one HTTP/1.0 request per connection, as curl makes them. */
final class Vip {
    private final String address;
    private final int port;

    Vip(String address, int port) {
        this.address = address;
        this.port = port;
    }

    /** The answering real server's name, from "Hello from demo_rs1 (...)". */
    String get() throws IOException {
        try (Socket c = new Socket()) {
            c.connect(new InetSocketAddress(address, port), 5000);
            c.setSoTimeout(5000);
            c.getOutputStream().write("GET / HTTP/1.0\r\nHost: vip\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            String reply = new String(c.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String body = reply.substring(reply.indexOf("\r\n\r\n") + 4);
            return body.startsWith("Hello from ") ? body.substring(11, body.indexOf(' ', 11)) : body.strip();
        }
    }

    /** n requests, each on its own connection: which real servers answered, in order. */
    List<String> get(int n) throws IOException {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            names.add(get());
        }
        return names;
    }
}
