package piranha.lvsd;

import java.nio.file.Path;
import java.time.Duration;

import piranha.lvscf.model.Backend;

/**
 * How one lvsd runs: its lvs.cf, the backend override ({@code --backend}, null to follow the
 * {@code backend} key), its control socket, whether it only logs ({@code --test-start}), the
 * Prometheus port (0: off), how often it re-reads the table to repair drift, and the group that
 * may use the control socket (null: root only).
 */
public record LvsdOptions(Path config, Backend backend, Path controlSocket, boolean testStart, int metricsPort,
        Duration reconcileInterval, String controlGroup) {

    public LvsdOptions(Path config, Backend backend, Path controlSocket, boolean testStart, int metricsPort,
            Duration reconcileInterval) {
        this(config, backend, controlSocket, testStart, metricsPort, reconcileInterval, null);
    }

    public static final Path DEFAULT_SOCKET = piranha.daemon.ControlSockets.LVSD;

}
