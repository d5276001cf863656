package piranha.lvsd;

import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import piranha.dataplane.Addresses;
import piranha.dataplane.DestinationSpec;
import piranha.dataplane.DestinationStats;
import piranha.dataplane.ServiceKey;
import piranha.lvsd.table.Table;
import piranha.nanny.NannySnapshot;

/** lvsd's state as the JSON its control socket answers to {@code status}. */
final class StatusView {
    private StatusView() {}

    /** Identical checks run once: how many distinct probes, for how many nannies. */
    private static JsonObject probes(int[] counts) {
        return new JsonObject().put("distinct", counts[0]).put("nannies", counts[1]);
    }

    /** When the last check ended, on the wall clock (ISO-8601), from the nanny's monotonic clock (ms of System.nanoTime). */
    private static String lastCheck(NannySnapshot s) {
        if (s.lastCheckAtMillis() < 0) {
            return null;
        }
        return java.time.Instant.now().minusMillis(System.nanoTime() / 1_000_000 - s.lastCheckAtMillis()).toString();
    }

    /**
     * The daemon's own state beside its table: readiness, start, backend, configuration, reloads,
     * and the log lines syslog did not take.
     */
    record Daemon(boolean ready, Instant since, String backend, String network, String config, int serialNo,
            boolean testStart, long reloads, long logLinesDropped) {}

    static JsonObject of(Daemon daemon, TableKeeper keeper, Monitors monitors,
            Map<ServiceKey, Map<String, DestinationStats>> stats) {
        return of(daemon, keeper, monitors, stats, null);
    }

    /** With the operator's intent on each real server ({@code intent}: action, reason, who, when) when one is kept. */
    static JsonObject of(Daemon daemon, TableKeeper keeper, Monitors monitors,
            Map<ServiceKey, Map<String, DestinationStats>> stats, Intents intents) {
        Table applied = keeper.applied();
        JsonArray services = new JsonArray();
        for (Plan.Service s : keeper.plan().services()) {
            ServiceKey key = s.spec().key();
            Table.Entry inTable = applied.get(key);
            Map<String, DestinationStats> counters = stats.getOrDefault(key, Map.of());
            JsonArray servers = new JsonArray();
            for (Plan.Server rs : s.servers().values()) {
                Optional<NannySnapshot> snap = monitors.snapshot(rs.id());
                DestinationSpec d = inTable == null ? null : inTable.destinations().get(rs.id().endpoint());
                DestinationStats c = counters.get(rs.id().endpoint());
                JsonObject j = new JsonObject()
                        .put("name", rs.name())
                        .put("address", Addresses.text(rs.destination().address().getAddress()))
                        .put("port", rs.destination().address().getPort())
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
                        .put("check", snap.map(NannySnapshot::checkKind).orElse(null))
                        .put("check_code", snap.map(x -> x.lastDetail().code() >= 0 ? x.lastDetail().code() : null).orElse(null))
                        .put("cert_expires", snap.map(x -> x.lastDetail().certNotAfter() == null ? null
                                : x.lastDetail().certNotAfter().toString()).orElse(null))
                        .put("probe_users", snap.map(NannySnapshot::probeUsers).orElse(0))
                        .put("checks", snap.map(NannySnapshot::checks).orElse(0L))
                        .put("check_failures", snap.map(NannySnapshot::failures).orElse(0L))
                        .put("nanny_restarts", monitors.restarts(rs.id()))
                        .put("active_conns", c == null ? 0L : c.activeConns())
                        .put("inactive_conns", c == null ? 0L : c.inactiveConns())
                        .put("conns", c == null ? 0L : c.conns())
                        .put("bytes_in", c == null ? 0L : c.inBytes())
                        .put("bytes_out", c == null ? 0L : c.outBytes());
                Intents.Intent intent = intents == null ? null : intents.of(rs.id());
                if (intent != null) {
                    j.put("intent", intent.toJson());
                }
                servers.add(j);
            }
            services.add(new JsonObject()
                    .put("name", s.name())
                    .put("ipvs", key.ipvsadm())
                    .put("protocol", key.protocol().name().toLowerCase(Locale.ROOT))
                    .put("address", Addresses.text(key.vip()))
                    .put("port", s.port())
                    .put("fwmark", key.fwmark())
                    .put("scheduler", s.spec().scheduler())
                    .put("persistent", s.spec().persistentSeconds())
                    .put("pmask", s.spec().pmask() == null ? null
                            : s.spec().pmask() instanceof java.net.Inet6Address m ? Integer.toString(Addresses.prefixLength(m)) : s.spec().pmask().getHostAddress())
                    .put("sorry_server", s.sorryServer().orElse(null))
                    .put("sorry_active", keeper.sorryActive(key))
                    .put("servers", servers));
        }
        return new JsonObject()
                .put("daemon", "lvsd")
                .put("pid", ProcessHandle.current().pid())
                .put("ready", daemon.ready())
                .put("since", daemon.since().toString())
                .put("backend", daemon.backend())
                .put("network", daemon.network())
                .put("config", daemon.config())
                .put("serial_no", daemon.serialNo())
                .put("test_start", daemon.testStart())
                .put("reloads", daemon.reloads())
                .put("log_lines_dropped", daemon.logLinesDropped())
                .put("table_syncs", keeper.syncs())
                .put("table_failures", keeper.failures())
                .put("table_repairs", keeper.repairs())
                .put("probes", probes(monitors.probeCounts()))
                .put("services", services);
    }
}
