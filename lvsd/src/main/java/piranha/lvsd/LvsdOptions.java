package piranha.lvsd;

import java.nio.file.Path;
import java.time.Duration;

import piranha.lvscf.model.Backend;
import piranha.lvscf.model.Listen;

/**
 * How one lvsd runs: its lvs.cf, the backend override ({@code --backend}, null to follow the
 * {@code backend} key), its control socket, whether it only logs ({@code --test-start}), the
 * Prometheus address ({@code metrics}; null: lvs.cf's {@code lvsd_metrics}), how often it re-reads the table to repair drift, and the group that
 * may use the control socket (null: root only).
 */
public record LvsdOptions(Path config, Backend backend, Path controlSocket, boolean testStart, int metricsPort,
        Duration reconcileInterval, String controlGroup, Listen metrics) {

    /** Metrics on 127.0.0.1:metricsPort, or none when it is 0 (embedded lvsd: tests, benchmarks). */
    public LvsdOptions(Path config, Backend backend, Path controlSocket, boolean testStart, int metricsPort,
            Duration reconcileInterval, String controlGroup) {
        this(config, backend, controlSocket, testStart, metricsPort, reconcileInterval, controlGroup,
                metricsPort > 0 ? new Listen("127.0.0.1", metricsPort) : Listen.OFF);
    }

    public LvsdOptions(Path config, Backend backend, Path controlSocket, boolean testStart, int metricsPort,
            Duration reconcileInterval) {
        this(config, backend, controlSocket, testStart, metricsPort, reconcileInterval, null);
    }

    /** Where metrics are served: the option's address, else lvs.cf's {@code lvsd_metrics}. */
    Listen metricsAt(piranha.lvscf.model.Globals globals) {
        return metrics != null ? metrics : globals.lvsdMetrics();
    }

    public static final Path DEFAULT_SOCKET = piranha.daemon.ControlSockets.LVSD;

}
