package piranha.pulse;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Logger;
import piranha.daemon.EventHooks;
import piranha.daemon.EventLog;
import piranha.daemon.ScriptUser;
import piranha.pulse.config.ConfigStamp;
import piranha.pulse.config.LvsCfSource;
import piranha.pulse.config.PulseConfig;
import piranha.pulse.config.PulseConfigSource;
import piranha.pulse.exec.HookRunner;
import piranha.pulse.fos.TrackedChecks;
import piranha.pulse.heartbeat.HeartbeatLoop;
import piranha.pulse.state.Input;

/**
 * The running configuration and its replacement: SIGHUP, the control socket's {@code reload} and a
 * file the partner sent (pulse/README.md, "Signals"). A file is checked whole before anything changes.
 */
final class ConfigReload {
    private static final Logger LOG = Logger.getLogger("pulse");

    private final PulseOptions opts;
    private final HeartbeatLoop loop;
    private final Director director;
    private final HookRunner hooks;
    private final EventHooks notifier;
    private final LinkWatch links;
    private final EventLog events;
    private PartnerSync sync;
    /** The track blocks' checks (null until they start); their failing set goes to the failover machine. */
    private volatile TrackedChecks tracks;
    // the running configuration; replaced by a reload that passes every check
    private PulseConfig current;
    private volatile Node node;
    /** The lvs.cf running here (serial_no, SHA-256), sent in signed heartbeats and shown in the status. */
    private volatile ConfigStamp stamp;

    ConfigReload(PulseOptions opts, PulseConfig cfg, Node self, ConfigStamp stamp, HeartbeatLoop loop, Director director,
            HookRunner hooks, EventHooks notifier, LinkWatch links, EventLog events) {
        this.opts = opts;
        this.current = cfg;
        this.node = self;
        this.stamp = stamp;
        this.loop = loop;
        this.director = director;
        this.hooks = hooks;
        this.notifier = notifier;
        this.links = links;
        this.events = events;
    }

    /** The channel to the partner, given a new one at each reload (built after this: it installs through it). */
    void syncWith(PartnerSync partner) {
        this.sync = partner;
    }

    /** The track blocks' checks, once started. */
    void track(TrackedChecks checks) {
        this.tracks = checks;
    }

    List<TrackedChecks.State> trackStates() {
        TrackedChecks t = tracks;
        return t == null ? List.of() : t.states();
    }

    Node node() {
        return node;
    }

    ConfigStamp stamp() {
        return stamp;
    }

    static EventHooks.Settings notifySettings(PulseConfig cfg, ScriptUser user) {
        return new EventHooks.Settings(cfg.extensions().notifyPrograms(), cfg.extensions().notifyTimeout(), user);
    }

    /**
     * The control socket's {@code reload}: pulse re-reads lvs.cf as on SIGHUP, then lvsd is asked
     * through its control socket; the reply says what each applied or refused ({@link ReloadReply}).
     */
    CompletableFuture<JsonObject> request(boolean mayPush) {
        Step step = reload(true, mayPush); // on the control connection's thread, which waits for the reply anyway
        return step.lvsd().thenApply(lvsdReply -> ReloadReply.of(step.pulse(), lvsdReply));
    }

    /** What pulse did with lvs.cf, and lvsd's answer to come (null: lvsd was not asked, or does not run). */
    record Step(JsonObject pulse, CompletableFuture<JsonObject> lvsd) {}

    /**
     * SIGHUP (and {@code reload}): re-read lvs.cf and apply all of it that pulse uses: heartbeat
     * sockets, key and timing, the role, the floating addresses, link monitoring; then lvsd reloads
     * (SIGHUP, or through its control socket when {@code askLvsd}). A file with errors, or one whose
     * heartbeat sockets cannot be bound, changes nothing.
     */
    synchronized Step reload(boolean askLvsd, boolean mayPush) {
        LOG.info("rereading configuration file");
        PreparedConfig next;
        try {
            next = PreparedConfig.of(PreparedConfig.load(opts.configFile), opts.configFile, current.fos());
        } catch (PulseConfigSource.ConfigException e) {
            return refuse(e.getMessage());
        }
        PulseConfig cfg = next.loaded().config();
        Node self = next.self();
        ConfigChange change = ConfigChange.between(current, node, cfg, self);
        boolean rebound;
        try {
            rebound = loop.reconfigure(self.heartbeatPaths(), cfg.heartbeatPort(), next.codec(), cfg.hasBackup())
                    .get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return refuse(e.getCause().getMessage());
        } catch (TimeoutException | InterruptedException e) {
            return refuse("the heartbeat thread did not take the new sockets in time");
        }
        stamp = next.loaded().stamp();
        loop.setKeepalive(cfg.keepalive());
        loop.input(new Input.Reconfigure(HeartbeatSetup.settings(cfg, self, opts.forceActive), rebound));
        hooks.runAs(next.user());
        sync.configure(cfg, self);
        if (mayPush && next.loaded().configSync()) sync.pushIfActive();
        notifier.configure(notifySettings(cfg, next.user()));
        CompletableFuture<JsonObject> lvsdReply = director.reload(cfg, next.plan(), askLvsd);
        if (change.links()) links.start(cfg, self);
        List<String> parts = new ArrayList<>(change.parts());
        if (!cfg.failovers().equals(current.failovers())) parts.add("failover services");
        if (!cfg.tracks().equals(current.tracks())) parts.add("tracked checks");
        if (tracks != null) tracks.apply(opts.testStart ? List.of() : cfg.tracks(), next.user());
        current = cfg;
        node = self;
        String changed = (parts.isEmpty() ? "nothing pulse uses" : String.join(", ", parts))
                + (rebound ? "; heartbeats on port " + cfg.heartbeatPort() : "");
        LOG.info("configuration reloaded; changed: " + changed);
        events.publish("reload", new JsonObject().put("applied", true).put("changes", new JsonArray(parts)));
        return new Step(new JsonObject().put("applied", true).put("changes", new JsonArray(parts)), lvsdReply);
    }

    /** pulse's reload check of lvs.cf's bytes (a file to send, or one the partner sent); its serial_no. */
    synchronized long checkReceived(byte[] bytes) throws PulseConfigSource.ConfigException {
        LvsCfSource.Loaded loaded = new LvsCfSource().check(opts.configFile, bytes);
        return PreparedConfig.of(loaded, opts.configFile, current.fos()).loaded().stamp().serial();
    }

    /** What a file received from the partner gets: the reload lvsadm reload asks for, without pushing it back. */
    JsonObject reloadForPartner() {
        try {
            return request(false).get(Director.LVSD_RELOAD_TIMEOUT.plusSeconds(5).toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            return new JsonObject().put("reloaded", false).put("error", "reload: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new JsonObject().put("reloaded", false).put("error", "reload interrupted");
        }
    }

    private Step refuse(String why) {
        List<String> errors = List.of(why.split("\n"));
        events.publish("reload", new JsonObject().put("applied", false).put("errors", new JsonArray(errors)));
        for (String line : errors) LOG.severe(line);
        LOG.warning("configuration not reloaded: the running one is kept");
        return new Step(new JsonObject().put("applied", false).put("errors", new JsonArray(errors)),
                CompletableFuture.completedFuture(null));
    }
}
