package piranha.lvsd.demo;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpServer;

/**
 * A real server for the demonstration: answers every HTTP request with its name, so that a client
 * of the virtual service sees which real server answered. {@code DemoRealServer ADDRESS PORT NAME}
 */
public final class DemoRealServer {
    private DemoRealServer() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 3) {
            System.err.println("usage: DemoRealServer ADDRESS PORT NAME");
            System.exit(2);
        }
        String name = args[2];
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getByName(args[0]), Integer.parseInt(args[1])), 64);
        byte[] body = ("Hello from " + name + " (" + args[0] + ":" + args[1] + ")\n").getBytes(StandardCharsets.UTF_8);
        server.createContext("/", exchange -> {
            exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.setExecutor(Executors.newFixedThreadPool(2));
        server.start();
        System.out.println(name + " listening on " + args[0] + ":" + args[1]);
    }
}
