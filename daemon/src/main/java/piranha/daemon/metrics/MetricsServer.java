package piranha.daemon.metrics;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.logging.Level;
import java.util.logging.Logger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * A daemon's Prometheus endpoint: {@code GET /metrics} answers the registry's scrape in the
 * Prometheus text format, written by the Prometheus client's own writer. One thread of the
 * daemon's choosing answers, one scrape at a time: a scrape costs the daemon one status.
 */
public final class MetricsServer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger("piranha.daemon");

    private final HttpServer server;
    private final ExecutorService executor;

    private MetricsServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /**
     * Listens on {@code at} (port 0: an ephemeral one, see {@link #address()}).
     *
     * @throws IOException when the address cannot be bound (in use, not local)
     */
    public static MetricsServer start(InetSocketAddress at, PrometheusRegistry registry, ThreadFactory threads)
            throws IOException {
        HttpServer server = HttpServer.create(at, 16);
        ExecutorService executor = Executors.newSingleThreadExecutor(threads);
        PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
        server.createContext("/metrics", exchange -> {
            try (exchange) {
                serve(exchange, registry, writer);
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.FINE, "metrics request failed", e);
            }
        });
        server.setExecutor(executor);
        server.start();
        return new MetricsServer(server, executor);
    }

    private static void serve(HttpExchange exchange, PrometheusRegistry registry, PrometheusTextFormatWriter writer)
            throws IOException {
        if (!exchange.getRequestURI().getPath().equals("/metrics")) {
            exchange.sendResponseHeaders(404, -1);
            return;
        }
        if (!exchange.getRequestMethod().equals("GET") && !exchange.getRequestMethod().equals("HEAD")) {
            exchange.sendResponseHeaders(405, -1);
            return;
        }
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream(8192);
        try {
            writer.write(body, registry.scrape(), EscapingScheme.DEFAULT);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "metrics: the scrape failed: " + e);
            exchange.sendResponseHeaders(500, -1);
            return;
        }
        exchange.getResponseHeaders().set("Content-Type", writer.getContentType());
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(200, head ? -1 : body.size());
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                body.writeTo(out);
            }
        }
    }

    /** The address bound (with the port chosen when 0 was asked for). */
    public InetSocketAddress address() {
        return server.getAddress();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
