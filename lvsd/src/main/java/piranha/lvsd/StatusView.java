package piranha.lvsd;

import java.util.Map;
import java.util.Optional;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import piranha.lvsd.backend.DestinationStats;
import piranha.lvsd.table.Destination;
import piranha.lvsd.table.ServiceKey;
import piranha.lvsd.table.Table;
import piranha.nanny.NannySnapshot;

/** lvsd's state as the JSON its control socket answers to {@code status}. */
final class StatusView {
    private StatusView() {}

    /** When the last check ended, on the wall clock (ISO-8601), from the nanny's monotonic clock (ms of System.nanoTime). */
    private static String lastCheck(NannySnapshot s) {
        if (s.lastCheckAtMillis() < 0) {
            return null;
        }
        return java.time.Instant.now().minusMillis(System.nanoTime() / 1_000_000 - s.lastCheckAtMillis()).toString();
    }

    static JsonObject of(Lvsd lvsd, Map<ServiceKey, Map<String, DestinationStats>> stats) {
        TableKeeper keeper = lvsd.keeper();
        Table applied = keeper.applied();
        JsonArray services = new JsonArray();
        for (Plan.Service s : keeper.plan().services()) {
            ServiceKey key = s.spec().key();
            Table.Entry inTable = applied.get(key);
            Map<String, DestinationStats> counters = stats.getOrDefault(key, Map.of());
            JsonArray servers = new JsonArray();
            for (Plan.Server rs : s.servers().values()) {
                Optional<NannySnapshot> snap = lvsd.monitors().snapshot(rs.id());
                Destination d = inTable == null ? null : inTable.destinations().get(rs.id().endpoint());
                DestinationStats c = counters.getOrDefault(rs.id().endpoint(), DestinationStats.NONE);
                JsonObject j = new JsonObject()
                        .put("name", rs.name())
                        .put("address", rs.destination().address())
                        .put("port", rs.destination().port())
                        .put("health", snap.map(x -> x.state().name().toLowerCase()).orElse("unknown"))
                        .put("override", keeper.drained(rs.id()) ? "drain" : snap.map(x -> switch (x.mode()) {
                            case AUTO -> "auto";
                            case FORCED_DOWN -> "down";
                            case FORCED_UP -> "up";
                        }).orElse("auto"))
                        .put("weight", d == null ? 0 : d.weight())
                        .put("configured_weight", rs.destination().weight())
                        .put("in_table", d != null)
                        .put("reason", snap.map(NannySnapshot::lastReason).orElse(null))
                        .put("latency_ms", snap.map(x -> x.lastLatency().toNanos() / 1e6).orElse(null))
                        .put("last_check", snap.map(StatusView::lastCheck).orElse(null))
                        .put("checks", snap.map(NannySnapshot::checks).orElse(0L))
                        .put("check_failures", snap.map(NannySnapshot::failures).orElse(0L))
                        .put("nanny_restarts", lvsd.monitors().restarts(rs.id()))
                        .put("active_conns", c.activeConns())
                        .put("inactive_conns", c.inactiveConns())
                        .put("conns", c.conns())
                        .put("bytes_in", c.bytesIn())
                        .put("bytes_out", c.bytesOut());
                servers.add(j);
            }
            services.add(new JsonObject()
                    .put("name", s.name())
                    .put("ipvs", key.ipvsadm())
                    .put("protocol", key.protocol().keyword())
                    .put("address", key.vip())
                    .put("port", s.port())
                    .put("fwmark", key.fwmark())
                    .put("scheduler", s.spec().scheduler().keyword())
                    .put("persistent", s.spec().persistent())
                    .put("pmask", s.spec().pmask())
                    .put("sorry_server", s.sorryServer().orElse(null))
                    .put("sorry_active", keeper.sorryActive(key))
                    .put("servers", servers));
        }
        return new JsonObject()
                .put("daemon", "lvsd")
                .put("pid", ProcessHandle.current().pid())
                .put("ready", lvsd.isReady())
                .put("since", lvsd.started().toString())
                .put("backend", lvsd.backend().name())
                .put("network", lvsd.document().config().globals().network().keyword())
                .put("config", lvsd.options().config().toString())
                .put("serial_no", lvsd.document().config().globals().serialNo())
                .put("test_start", lvsd.options().testStart())
                .put("reloads", lvsd.reloads())
                .put("table_syncs", keeper.syncs())
                .put("table_failures", keeper.failures())
                .put("table_repairs", keeper.repairs())
                .put("services", services);
    }
}
