package piranha.pulse;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.logging.Logger;
import piranha.daemon.RealtimeScheduling;
import piranha.pulse.config.PulseConfig;
import piranha.pulse.heartbeat.HeartbeatKey;
import piranha.pulse.heartbeat.HeartbeatLoop;
import piranha.pulse.sync.ConfigInstaller;
import piranha.pulse.sync.ConfigSync;
import piranha.pulse.sync.IntentInstaller;
import piranha.pulse.sync.IntentWatcher;
import piranha.pulse.sync.SyncProtocol;

/**
 * lvs.cf and the operator's intent (lvsd.state) between the two directors (pulse/README.md, "Config
 * sync"): the channel lvs.cf gives, what the partner sends installed here, and the pushes from here,
 * one at a time on the {@code config-push} thread.
 */
final class PartnerSync implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger("pulse");

    private final HeartbeatLoop loop;
    private final Path stateFile;
    /** service = fos: no lvsd, so no operator intent to send (a reload never changes the service). */
    private final boolean fos;
    private final ConfigSync sync;
    private final IntentWatcher intents;
    /** Pushes of lvs.cf to the partner (lvsadm sync, config_sync), one at a time. */
    private final ExecutorService pusher = Executors.newSingleThreadExecutor(r -> {
        Thread t = RealtimeScheduling.thread("config-push", r);
        t.setDaemon(true);
        return t;
    });

    /**
     * Serves the channel lvs.cf gives and, unless fos or -t, watches lvsd.state for the partner.
     *
     * @param check            pulse's reload check of a file's bytes
     * @param reloadForPartner the reload a file installed from the partner gets
     */
    PartnerSync(PulseOptions opts, PulseConfig cfg, Node self, HeartbeatLoop loop, ConfigInstaller.Check check,
            Supplier<JsonObject> reloadForPartner) {
        this.loop = loop;
        this.stateFile = stateFile(opts.configFile);
        this.fos = cfg.fos();
        ConfigInstaller configInstaller = new ConfigInstaller(opts.configFile, check, reloadForPartner);
        IntentInstaller intentInstaller = new IntentInstaller(stateFile, opts.lvsdSocket);
        sync = new ConfigSync(opts.configFile, check, (offer, from) -> offer.kind() == SyncProtocol.Kind.INTENTS
                ? intentInstaller.install(offer, from) : configInstaller.install(offer, from), Director.LVSD_RELOAD_TIMEOUT.plusSeconds(5));
        configure(cfg, self);
        IntentWatcher watcher = null;
        if (!cfg.fos() && !opts.testStart) {
            try {
                watcher = IntentWatcher.start(stateFile, this::pushIntentsIfActive);
            } catch (IOException e) {
                LOG.warning("cannot watch " + stateFile + ": " + e.getMessage() + "; the partner learns no drains from here");
            }
        }
        intents = watcher;
    }

    /** The channel of a configuration applied now. */
    void configure(PulseConfig cfg, Node self) {
        sync.configure(syncChannel(cfg, self));
    }

    /** The control socket's {@code sync}, on the config-push thread. */
    CompletableFuture<JsonObject> request() {
        return CompletableFuture.supplyAsync(this::syncWithPartner, pusher);
    }

    /**
     * {@code sync}: lvs.cf to the partner, then the operator's intent, so that a partner that was down
     * when a drain was set learns it too; the intent's outcome is the reply's {@code "intent"}.
     */
    private JsonObject syncWithPartner() {
        JsonObject r = sync.push();
        if (r.getBoolean("synced", false) && !fos) r.put("intent", sync.pushIntents(stateFile));
        return r;
    }

    /** lvsd's state file (the operator's intent) beside lvs.cf, as lvsd names it. */
    private static Path stateFile(Path configFile) {
        return configFile.toAbsolutePath().getParent().resolve("lvsd.state");
    }

    /** lvsd on the active director rewrote its intent: the partner gets it, so a takeover keeps it. */
    private void pushIntentsIfActive() {
        pusher.execute(() -> {
            try {
                if (loop.query(l -> l.machine().active()).get(5, TimeUnit.SECONDS)) sync.pushIntents(stateFile);
            } catch (ExecutionException | TimeoutException | InterruptedException e) {
                // no answer from the heartbeat thread: pulse is stopping
            }
        });
    }

    /** config_sync = 1: after a reload the active director offers lvs.cf to the partner. */
    void pushIfActive() {
        pusher.execute(() -> {
            boolean active;
            try {
                active = loop.query(l -> l.machine().active()).get(5, TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException | InterruptedException e) {
                return;
            }
            if (active) sync.push();
        });
    }

    /** The sync channel lvs.cf gives: TCP on our public heartbeat address and port, to the partner's. */
    private static ConfigSync.Channel syncChannel(PulseConfig cfg, Node self) {
        HeartbeatKey key = null;
        if (cfg.extensions().heartbeatKeyFile() != null) {
            try {
                key = HeartbeatKey.load(cfg.extensions().heartbeatKeyFile());
            } catch (IOException e) {
                LOG.warning("lvs.cf sync: " + e.getMessage()); // the codec refused the file already, this is not reached
            }
        }
        if (!self.hasBackup() || self.partnerPublic() == null || self.ownPublic() == null) {
            return new ConfigSync.Channel(null, null, Set.of(), key);
        }
        Set<InetAddress> partners = new HashSet<>();
        partners.add(self.partnerPublic());
        if (self.partnerPrivate() != null) partners.add(self.partnerPrivate());
        return new ConfigSync.Channel(new InetSocketAddress(self.ownPublic(), cfg.heartbeatPort()),
                new InetSocketAddress(self.partnerPublic(), cfg.heartbeatPort()), partners, key);
    }

    /** The intent watcher, the channel, then pending pushes. */
    @Override
    public void close() {
        if (intents != null) intents.close();
        sync.close();
        pusher.shutdownNow();
    }
}
