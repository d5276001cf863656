package piranha.lvsd;

import java.io.IOException;
import java.util.logging.Logger;

import io.vertx.core.json.JsonObject;
import piranha.daemon.EventHooks;
import piranha.daemon.EventLog;
import piranha.daemon.ProcessRunner;
import piranha.daemon.ScriptUser;
import piranha.lvscf.model.Globals;
import piranha.nanny.Verdict;

/**
 * lvsd's event stream (README, "Events"): the state changes in order, for {@code lvsadm events},
 * and lvs.cf's {@code notify_} programs that hear them. The publishers say what happened; this
 * class spells each {@code kind} of event, so the stream's format is written in one place.
 */
final class EventStream {
    private static final Logger LOG = Logger.getLogger("piranha.lvsd");

    private final EventLog log = new EventLog("lvsd");
    /** lvs.cf's notify_ programs, on daemon threads: a slow one never holds lvsd's exit. */
    private final EventHooks hooks = new EventHooks("piranha.lvsd", ProcessRunner.shared(), r -> {
        Thread t = new Thread(r, "notify");
        t.setDaemon(true);
        return t;
    });

    /** The ring the {@code events} request serves (and embedders follow without a socket). */
    EventLog log() {
        return log;
    }

    /** Runs lvs.cf's notify_ programs for every event from now on; not under {@code -t}, which changes nothing. */
    void runNotifyPrograms(Globals g) {
        hooks.configure(hookSettings(g));
        log.listen(hooks);
    }

    /** A reload may change the notify_ programs, their timeout and script_user. */
    void reconfigure(Globals g) {
        hooks.configure(hookSettings(g));
    }

    /** {@code real_server}: a nanny's verdict changed a server's health (a weight-only change is not one). */
    void realServer(String service, Plan.Server server, Verdict v) {
        log.publish("real_server", new JsonObject()
                .put("service", service).put("server", server.id().endpoint()).put("name", server.name())
                .put("health", v.state().name().toLowerCase()).put("weight", v.weight()).put("reason", v.reason()));
    }

    /** {@code reload} applied: the serial_no now in force and the reply's changes. */
    void reloadApplied(Globals g, JsonObject reply) {
        log.publish("reload", new JsonObject().put("applied", true)
                .put("serial_no", g.serialNo())
                .put("changes", reply.getValue("changes")));
    }

    /** {@code reload} refused: the running state stays. */
    void reloadRefused(Throwable e) {
        log.publish("reload", new JsonObject().put("applied", false).put("error", e.getMessage()));
    }

    void close() {
        hooks.close();
    }

    /** notify_KIND of lvs.cf, run as script_user; an unknown user was refused with the file, so none is left here. */
    private static EventHooks.Settings hookSettings(Globals g) {
        ScriptUser user;
        try {
            user = ScriptUser.of(g.scriptUser().orElse(null));
        } catch (IOException e) {
            LOG.warning(() -> "notify programs: " + e.getMessage() + "; they run as lvsd's user");
            user = ScriptUser.DAEMON;
        }
        return new EventHooks.Settings(g.notifyPrograms(), g.notifyTimeout(), user);
    }
}
