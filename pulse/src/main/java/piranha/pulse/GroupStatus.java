package piranha.pulse;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import piranha.daemon.Logs;
import piranha.pulse.address.AddressPlan;
import piranha.pulse.config.PulseConfig;
import piranha.pulse.group.VipGroups;
import piranha.pulse.heartbeat.HeartbeatLoop;
import piranha.pulse.state.FailoverMachine;
import piranha.pulse.state.Transition;

/** pulse's {@code status} with vip_group blocks: the pair's fields and a {@code groups} array (pulse/README.md, "VIP groups"). */
final class GroupStatus {
    private GroupStatus() {}

    /** One group, built on its heartbeat thread. */
    static JsonObject of(VipGroups.Group group, HeartbeatLoop loop, Director director) {
        FailoverMachine m = loop.machine();
        long now = System.nanoTime();
        JsonArray vips = new JsonArray();
        AddressPlan.of(group.config()).forEach(p -> vips.add(p.address().getHostAddress()));
        List<Transition> history = m.transitions();
        Transition last = history.isEmpty() ? null : history.get(history.size() - 1);
        return new JsonObject()
                .put("name", group.name())
                .put("role", m.settings().primary() ? "primary" : "backup")
                .put("state", m.active() ? "active" : "standby")
                .put("partner", m.partner().name().toLowerCase(Locale.ROOT))
                .put("heartbeatPort", group.config().heartbeatPort())
                .put("vips", vips)
                .put("addressesPlumbed", director.plumbed())
                .put("lastHeartbeatAgeMs", m.lastHeartbeatNanos() < 0 ? null : (now - m.lastHeartbeatNanos()) / 1_000_000)
                .put("authenticated", loop.codec().authenticated())
                .put("reason", last == null ? null : last.reason())
                .put("transitions", history.size())
                .put("monotonicMs", last == null ? null : last.atNanos() / 1_000_000)
                .put("partnerConfig", loop.partnerConfig() == null ? null : loop.partnerConfig().toJson());
    }

    /**
     * pulse's status: {@code state} is active while this director carries any group, {@code partner}
     * the partner as the groups hear it (running when any group hears it running).
     */
    static JsonObject pulse(JsonArray groups, PulseConfig pair, boolean pairPrimary, long startedNanos, Instant startedAt,
                            long lvsdPid, int lvsdRestarts, boolean terminating) {
        boolean active = false;
        boolean plumbed = false;
        String partner = "dead";
        JsonObject partnerConfig = null;
        for (Object o : groups) {
            JsonObject g = (JsonObject) o;
            if (partnerConfig == null) partnerConfig = g.getJsonObject("partnerConfig");
            active |= "active".equals(g.getString("state"));
            plumbed |= Boolean.TRUE.equals(g.getBoolean("addressesPlumbed"));
            String p = g.getString("partner");
            if ("running".equals(p) || ("stopped".equals(p) && !"running".equals(partner))) partner = p;
            else if ("unknown".equals(p) && "dead".equals(partner)) partner = p;
        }
        return new JsonObject()
                .put("daemon", "pulse")
                .put("pid", ProcessHandle.current().pid())
                .put("mode", "vip_groups")
                .put("role", pairPrimary ? "primary" : "backup")
                .put("state", terminating ? "stopping" : active ? "active" : "standby")
                .put("since", startedAt.toString())
                .put("uptimeMs", (System.nanoTime() - startedNanos) / 1_000_000)
                .put("partner", partner)
                .put("authenticated", pair.extensions().heartbeatKeyFile() != null)
                .put("addressesPlumbed", plumbed)
                .put("lvsdPid", lvsdPid)
                .put("lvsdRestarts", lvsdRestarts)
                .put("logLinesDropped", Logs.droppedLines())
                .put("partnerConfig", partnerConfig)
                .put("groups", groups);
    }
}
