package piranha.pulse;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import piranha.daemon.Logs;
import piranha.pulse.heartbeat.HeartbeatCounters;
import piranha.pulse.heartbeat.HeartbeatLoop;
import piranha.pulse.state.FailoverMachine;
import piranha.pulse.state.Transition;

/** pulse's answer to {@code status} on its control socket (pulse/README.md), built on the heartbeat thread. */
final class PulseStatus {
    private PulseStatus() {}

    /**
     * @param startedNanos  pulse's start on the monotonic clock
     * @param startedAt     the same moment on the wall clock
     */
    static JsonObject of(HeartbeatLoop loop, Director director, long startedNanos, Instant startedAt) {
        return of(loop, director, startedNanos, startedAt, java.util.Set.of());
    }

    /** @param watchedLinks the links monitor_links watches (empty when it is off) */
    static JsonObject of(HeartbeatLoop loop, Director director, long startedNanos, Instant startedAt,
            java.util.Set<String> watchedLinks) {
        return of(loop, director, startedNanos, startedAt, watchedLinks, List.of());
    }

    /** @param tracks the track blocks' checks, in file order */
    static JsonObject of(HeartbeatLoop loop, Director director, long startedNanos, Instant startedAt,
            java.util.Set<String> watchedLinks, List<piranha.pulse.fos.TrackedChecks.State> tracks) {
        FailoverMachine m = loop.machine();
        long now = System.nanoTime();
        Instant wallNow = Instant.now();
        HeartbeatCounters.Snapshot c = loop.counters();
        JsonObject rejected = new JsonObject();
        c.rejected().forEach((r, n) -> rejected.put(r.name().toLowerCase(Locale.ROOT), n));
        JsonArray transitions = new JsonArray();
        List<Transition> history = m.transitions();
        for (Transition t : history) {
            transitions.add(new JsonObject().put("state", t.active() ? "active" : "standby")
                    .put("reason", t.reason()).put("ageMs", (now - t.atNanos()) / 1_000_000)
                    // CLOCK_MONOTONIC (what System.nanoTime reads on Linux): comparable across processes
                    .put("monotonicMs", t.atNanos() / 1_000_000));
        }
        // the current state holds since the last transition, or since start when there was none
        Instant since = history.isEmpty() ? startedAt
                : wallNow.minusNanos(now - history.get(history.size() - 1).atNanos());
        JsonArray inhibit = new JsonArray();
        if (m.linkFail()) inhibit.add("LINKFAIL");
        if (m.childFail()) inhibit.add("CHILDFAIL");
        if (!m.eligible()) inhibit.add(m.trackFailing().isEmpty() ? "SERVICEFAIL" : "TRACKFAIL");
        JsonArray failover = new JsonArray();
        for (var s : director.failoverStates()) {
            failover.add(new JsonObject().put("name", s.name()).put("role", s.role()).put("health", s.health())
                    .put("last", s.lastResult()));
        }
        JsonArray track = new JsonArray();
        for (var t : tracks) {
            track.add(new JsonObject().put("name", t.name()).put("kind", t.kind()).put("target", t.target())
                    .put("health", t.health()).put("last", t.last()).put("checks", t.checks())
                    .put("failures", t.failures()).put("lastAgeMs", t.lastAgeMs() < 0 ? null : t.lastAgeMs()));
        }
        return new JsonObject()
                .put("daemon", "pulse")
                .put("pid", ProcessHandle.current().pid())
                .put("role", m.settings().primary() ? "primary" : "backup")
                .put("state", m.active() ? "active" : "standby")
                .put("since", since.toString())
                .put("uptimeMs", (now - startedNanos) / 1_000_000)
                .put("inhibit", inhibit)
                .put("linksDown", new JsonArray(new ArrayList<>(m.linksDown())))
                .put("partner", m.partner().name().toLowerCase(Locale.ROOT))
                .put("lastHeartbeatAgeMs", m.lastHeartbeatNanos() < 0 ? null : (now - m.lastHeartbeatNanos()) / 1_000_000)
                .put("authenticated", loop.codec().authenticated())
                .put("sent", c.sent()).put("sendErrors", c.sendErrors()).put("received", c.received())
                .put("rejected", c.rejectedTotal()).put("rejectedBy", rejected)
                .put("late", c.late()).put("maxLateMs", c.maxLateNanos() / 1_000_000)
                .put("heldUp", c.heldUp()).put("maxHeldUpMs", c.maxHeldUpNanos() / 1_000_000)
                .put("understudySent", loop.understudySent())
                .put("understudyCpu", loop.understudyCpu() < 0 ? null : loop.understudyCpu())
                .put("addressesPlumbed", director.plumbed())
                .put("lvsdPid", director.lvsdPid())
                .put("logLinesDropped", Logs.droppedLines())
                .put("lvsdRestarts", m.lvsdRestarts())
                .put("failover", failover)
                .put("track", track)
                .put("transitions", transitions)
                .put("transitionsByReason", new JsonObject(new java.util.LinkedHashMap<>(m.transitionsByReason())))
                .put("paths", paths(loop, now))
                .put("pathsSilent", new JsonArray(loop.silentPaths()))
                .put("links", links(watchedLinks, m.linksDown()));
    }

    /**
     * {@code "config"}: the lvs.cf running here; {@code "partnerConfig"}: the one the partner's signed
     * heartbeats name (null until one did, and always with Piranha's unsigned heartbeat). Each
     * {@code {"serial": N, "digest": "hex"}}; they differ when the two copies do.
     */
    static JsonObject withConfig(JsonObject status, piranha.pulse.config.ConfigStamp own,
            piranha.pulse.config.ConfigStamp partner) {
        return status.put("config", own == null ? null : own.toJson())
                .put("partnerConfig", partner == null ? null : partner.toJson());
    }

    /**
     * Each heartbeat path with the age of the last heartbeat accepted on it (null: none yet) and whether
     * it is silent for deadtime while the partner is heard on another path.
     */
    private static JsonArray paths(HeartbeatLoop loop, long now) {
        JsonArray a = new JsonArray();
        List<String> silent = loop.silentPaths();
        loop.lastAcceptedByPath().forEach((name, at) -> a.add(new JsonObject().put("name", name)
                .put("lastHeartbeatAgeMs", at < 0 ? null : (now - at) / 1_000_000)
                .put("silent", silent.contains(name))));
        return a;
    }

    /** Each watched link: true while up. */
    private static JsonObject links(java.util.Set<String> watched, java.util.Set<String> down) {
        JsonObject o = new JsonObject();
        new java.util.TreeSet<>(watched).forEach(l -> o.put(l, !down.contains(l)));
        return o;
    }
}
