package piranha.gui.status;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

import io.vertx.core.json.JsonObject;
import piranha.daemon.ControlClient;

/**
 * The GUI's side of one daemon's control socket (pulse or lvsd). Calls block for at most
 * {@link #TIMEOUT}; callers run them off the event loop. A failure comes back as
 * {@code {"error":"..."}} so pages can show it in place of the daemon's state.
 */
public final class DaemonLink {
    public static final Duration TIMEOUT = Duration.ofSeconds(3);
    /** pulse's sync waits for the partner to check, write and reload lvs.cf (lvsd's 60 s, plus margin), as lvsadm sync. */
    public static final Duration SYNC_TIMEOUT = Duration.ofSeconds(90);

    private final String daemon;
    private final Path socket;

    public DaemonLink(String daemon, Path socket) {
        this.daemon = daemon;
        this.socket = socket;
    }

    public String daemon() {
        return daemon;
    }

    public Path socket() {
        return socket;
    }

    public JsonObject status() {
        return call(new JsonObject().put("cmd", "status"));
    }

    /** An operator override of one real server: drain, force-down, force-up or auto. */
    public JsonObject serverAction(String action, String service, String server) {
        return call(new JsonObject().put("cmd", action).put("service", service).put("server", server));
    }

    /** pulse: offer this director's lvs.cf to the partner (lvsadm sync); blocks up to {@link #SYNC_TIMEOUT}. */
    public JsonObject sync() {
        return call(new JsonObject().put("cmd", "sync"), SYNC_TIMEOUT);
    }

    JsonObject call(JsonObject request) {
        return call(request, TIMEOUT);
    }

    private JsonObject call(JsonObject request, Duration timeout) {
        try {
            return ControlClient.call(socket, request, timeout);
        } catch (IOException e) {
            return new JsonObject().put("error", daemon + " " + e.getMessage());
        }
    }
}
