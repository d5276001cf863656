package piranha.pulse.metrics;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ThreadFactory;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.logging.Logger;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vertx.core.json.JsonObject;
import piranha.daemon.metrics.Families;
import piranha.daemon.metrics.MetricsServer;
import piranha.daemon.metrics.StatusCollector;
import piranha.lvscf.model.Listen;

/**
 * pulse's /metrics, in a pair or active-active: where {@code --metrics} or pulse_metrics says (read
 * at start), series made from the status at each scrape. A bad option or a port that cannot be bound
 * is logged and pulse runs on without metrics: they never cost a director its service.
 */
public final class MetricsEndpoint {
    private static final Logger LOG = Logger.getLogger("pulse");

    private MetricsEndpoint() {}

    /** @return the server, or null when metrics are off or cannot be served */
    public static MetricsServer serve(String option, Listen configured, Supplier<JsonObject> status,
                                      Function<JsonObject, Families> families, ThreadFactory threads) {
        Listen at;
        try {
            at = option != null ? Listen.parse(option) : configured;
        } catch (IllegalArgumentException e) {
            LOG.warning("--metrics: " + e.getMessage() + "; no metrics");
            return null;
        }
        if (at.off()) return null;
        PrometheusRegistry registry = new PrometheusRegistry();
        registry.register(new StatusCollector(status, families));
        try {
            MetricsServer server = MetricsServer.start(new InetSocketAddress(at.host(), at.port()), registry, threads);
            LOG.info("metrics on http://" + at + "/metrics");
            return server;
        } catch (IOException | RuntimeException e) {
            LOG.warning("cannot serve metrics on " + at + ": " + e.getMessage() + "; pulse runs without them");
            return null;
        }
    }
}
