package piranha.pulse;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import piranha.daemon.ControlServer;
import piranha.daemon.EventLog;
import piranha.daemon.RealtimeScheduling;
import piranha.daemon.metrics.MetricsServer;
import piranha.pulse.config.PulseConfig;
import piranha.pulse.heartbeat.HeartbeatLoop;
import piranha.pulse.metrics.MetricsEndpoint;

/**
 * What pulse answers from outside: the control socket's commands ({@code status}, {@code reload},
 * {@code sync}, {@code events}) and the Prometheus metrics, both built from the status the heartbeat
 * thread assembles ({@link PulseStatus}).
 */
final class PulseControl {
    private static final Logger LOG = Logger.getLogger("pulse");

    private final HeartbeatLoop loop;
    private final Director director;
    private final long startedNanos;
    private final Instant startedAt;
    private final LinkWatch links;
    private final ConfigReload reload;

    /**
     * @param startedNanos pulse's start on the monotonic clock
     * @param startedAt    the same moment on the wall clock
     */
    PulseControl(HeartbeatLoop loop, Director director, long startedNanos, Instant startedAt, LinkWatch links,
            ConfigReload reload) {
        this.loop = loop;
        this.director = director;
        this.startedNanos = startedNanos;
        this.startedAt = startedAt;
        this.links = links;
        this.reload = reload;
    }

    /** The status; on the heartbeat thread (through {@link HeartbeatLoop#query}), but for the first one before it runs. */
    JsonObject status(HeartbeatLoop l) {
        return PulseStatus.withConfig(PulseStatus.of(l, director, startedNanos, startedAt, links.watched(),
                reload.trackStates()), reload.stamp(), l.partnerConfig());
    }

    /** The control socket, its connections on pulse's real-time threads. */
    ControlServer openSocket(PulseOptions opts, PartnerSync sync, EventLog events) throws IOException {
        return ControlServer.start(opts.controlSocket, Map.of(
                "status", req -> Future.fromCompletionStage(loop.query(this::status)),
                "reload", req -> Future.fromCompletionStage(reload.request(true)),
                "sync", req -> Future.fromCompletionStage(sync.request()),
                "events", events.handler()),
                Director.LVSD_RELOAD_TIMEOUT.plusSeconds(15), opts.controlGroup, r -> RealtimeScheduling.thread("control", r));
    }

    /**
     * Serves the metrics where {@code --metrics} or pulse_metrics says (read at start); a port that
     * cannot be bound is logged and pulse runs on without metrics: they never cost a director its service.
     */
    MetricsServer startMetrics(String option, PulseConfig cfg) {
        return MetricsEndpoint.serve(option, cfg.extensions().metrics(), () -> {
            try {
                return loop.query(this::status).get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException("no status from the heartbeat thread: " + e, e);
            }
        }, PulseMetrics::of, r -> RealtimeScheduling.thread("metrics", r));
    }

}
