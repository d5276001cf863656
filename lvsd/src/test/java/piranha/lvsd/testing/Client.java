package piranha.lvsd.testing;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** A client of the virtual service: one HTTP request per connection, answering which server replied. */
public final class Client {
    private Client() {}

    /** The name of the real server that answered, or "refused" when the connection failed. */
    public static String get(String host, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 2000);
            s.setSoTimeout(3000);
            s.getOutputStream().write("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            String reply = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
            int body = reply.indexOf("\r\n\r\n");
            return body < 0 ? "refused" : reply.substring(body + 4).strip();
        } catch (IOException e) {
            return "refused";
        }
    }

    public static List<String> get(String host, int port, int times) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < times; i++) {
            out.add(get(host, port));
        }
        return out;
    }
}
