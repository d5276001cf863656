package piranha.lvsd;

import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.logging.Logger;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import piranha.daemon.metrics.Families;
import piranha.daemon.metrics.MetricsServer;
import piranha.lvsd.table.TableOp;
import piranha.nanny.check.CheckResult;

/**
 * lvsd's Prometheus metrics (lvsd/README.md, "Metrics"): gauges and counters read at each scrape
 * from the same status the control socket answers, and the histograms and counters of events
 * (each check, each reload, each table operation) kept by the Prometheus client as they happen.
 */
final class Metrics implements MultiCollector {
    private static final Logger LOG = Logger.getLogger("piranha.lvsd");
    private static final String[] SERVER = {"service", "server"};

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Supplier<Future<JsonObject>> status;
    private final Histogram checkDuration = Histogram.builder().name("lvsd_check_duration_seconds")
            .help("duration of each health check, per real server").labelNames(SERVER).classicOnly()
            .classicUpperBounds(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30).build();
    private final Counter checkResults = Counter.builder().name("lvsd_check_results")
            .help("health checks by outcome (pass, fail), per real server").labelNames("service", "server", "outcome").build();
    private final Histogram reloadDuration = Histogram.builder().name("lvsd_reload_duration_seconds")
            .help("time from reading lvs.cf to the table updated, per reload applied").classicOnly()
            .classicUpperBounds(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10).build();
    private final Counter reloads = Counter.builder().name("lvsd_reloads")
            .help("configuration reloads, by result (applied, refused)").labelNames("result").build();
    private final Counter tableOps = Counter.builder().name("lvsd_table_operations")
            .help("IPVS table operations handed to the backend, by operation and result (ok, failed)").labelNames("op", "result").build();
    /** The (service, server) label pairs the event metrics hold, to forget those gone from lvs.cf. */
    private final Set<List<String>> seen = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private MetricsServer server;

    /** @param status lvsd's status, as the control socket answers it */
    Metrics(Supplier<Future<JsonObject>> status) {
        this.status = status;
        registry.register(checkDuration);
        registry.register(checkResults);
        registry.register(reloadDuration);
        registry.register(reloads);
        registry.register(tableOps);
        registry.register(this);
        reloads.labelValues("applied");
        reloads.labelValues("refused");
    }

    /**
     * Serves {@code /metrics} where lvs.cf or the command line asks, unless off; a port that cannot be
     * bound is logged, because metrics never cost the director its table.
     */
    void serve(piranha.lvscf.model.Listen at) {
        if (at.off()) {
            return;
        }
        try {
            listen(new InetSocketAddress(at.host(), at.port()));
        } catch (java.io.IOException | RuntimeException e) {
            LOG.warning(() -> "cannot serve metrics on " + at + ": " + e.getMessage() + "; lvsd runs without them");
        }
    }

    /** Serves {@code /metrics} on that address. */
    void listen(InetSocketAddress at) throws java.io.IOException {
        server = MetricsServer.start(at, registry, r -> {
            Thread t = new Thread(r, "metrics");
            t.setDaemon(true);
            return t;
        });
        LOG.info(() -> "metrics on http://" + at.getHostString() + ":" + server.address().getPort() + "/metrics");
    }

    /** The port bound (tests ask for port 0). */
    int port() {
        return server == null ? 0 : server.address().getPort();
    }

    void close() {
        if (server != null) {
            server.close();
        }
    }

    /** A nanny's check ended (on the nanny's context). */
    void checked(String service, String server, CheckResult r) {
        seen.add(List.of(service, server));
        checkDuration.labelValues(service, server).observe(r.latency().toNanos() / 1e9);
        checkResults.labelValues(service, server, r.healthy() ? "pass" : "fail").inc();
    }

    void reloaded(long nanos) {
        reloads.labelValues("applied").inc();
        reloadDuration.observe(nanos / 1e9);
    }

    void reloadRefused() {
        reloads.labelValues("refused").inc();
    }

    /** A batch of table operations went to the backend. */
    void tableOps(List<TableOp> ops, boolean ok) {
        for (TableOp op : ops) {
            tableOps.labelValues(op.getClass().getSimpleName(), ok ? "ok" : "failed").inc();
        }
    }

    @Override
    public MetricSnapshots collect() {
        JsonObject st;
        try {
            st = status.get().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("no status from lvsd: " + e, e);
        }
        forgetGone(st);
        return of(st).snapshots();
    }

    /** Real servers no longer in lvs.cf leave the event metrics too. */
    private void forgetGone(JsonObject st) {
        Set<List<String>> now = new HashSet<>();
        for (Object o : st.getJsonArray("services")) {
            JsonObject s = (JsonObject) o;
            for (Object p : s.getJsonArray("servers")) {
                JsonObject r = (JsonObject) p;
                now.add(List.of(s.getString("name"), endpoint(r)));
            }
        }
        for (List<String> gone : Set.copyOf(seen)) {
            if (!now.contains(gone)) {
                seen.remove(gone);
                checkDuration.remove(gone.get(0), gone.get(1));
                checkResults.remove(gone.get(0), gone.get(1), "pass");
                checkResults.remove(gone.get(0), gone.get(1), "fail");
            }
        }
    }

    private static String endpoint(JsonObject r) {
        String a = r.getString("address");
        return (a.contains(":") ? "[" + a + "]" : a) + ":" + r.getInteger("port");
    }

    /** The gauges and counters of one status. */
    static Families of(JsonObject st) {
        Families f = new Families();
        f.gauge("lvsd_ready", "1 when the table is programmed and the nannies run").add(st.getBoolean("ready") ? 1 : 0);
        f.gauge("lvsd_config_serial", "serial_no of the lvs.cf in force").add(st.getInteger("serial_no"));
        f.counter("lvsd_table_syncs", "table updates attempted").add(st.getLong("table_syncs"));
        f.counter("lvsd_table_failures", "table updates that failed").add(st.getLong("table_failures"));
        f.counter("lvsd_table_repairs", "times the table was found changed behind lvsd's back and repaired").add(st.getLong("table_repairs"));
        f.counter("lvsd_log_lines_dropped", "log lines syslog did not take in time (never waited for)").add(st.getLong("log_lines_dropped"));
        JsonObject probes = st.getJsonObject("probes");
        if (probes != null) {
            f.gauge("lvsd_probes", "distinct health-check probes running (identical checks share one)").add(probes.getInteger("distinct"));
        }
        Families.Family sorry = f.gauge("lvsd_virtual_service_sorry_active", "1 while the virtual service's sorry_server is in use");
        Families.Family servers = f.gauge("lvsd_virtual_service_real_servers", "real servers of the virtual service in lvs.cf");
        Families.Family up = f.gauge("lvsd_real_server_up", "1 when the real server's nanny says it is up");
        Families.Family health = f.gauge("lvsd_real_server_health", "1 for the real server's health (up, down, quiesced, unknown)");
        Families.Family override = f.gauge("lvsd_real_server_override", "1 for the operator's override in force (auto, drain, down, up)");
        Families.Family weight = f.gauge("lvsd_real_server_weight", "effective weight: the real server's weight in the table (0 when out, quiesced or drained)");
        Families.Family configured = f.gauge("lvsd_real_server_configured_weight", "the weight lvs.cf gives the real server");
        Families.Family inTable = f.gauge("lvsd_real_server_in_table", "1 while the real server is in the IPVS table");
        Families.Family checks = f.counter("lvsd_real_server_checks", "health checks run");
        Families.Family failures = f.counter("lvsd_real_server_check_failures", "health checks failed");
        Families.Family latency = f.gauge("lvsd_real_server_check_latency_seconds", "duration of the last health check");
        Families.Family code = f.gauge("lvsd_real_server_check_code", "the last check's protocol code: HTTP status, SMTP reply, DNS rcode, script exit status");
        Families.Family cert = f.gauge("lvsd_real_server_certificate_expiry_timestamp_seconds", "end of validity of the real server's TLS certificate (https checks)");
        Families.Family active = f.gauge("lvsd_real_server_active_connections", "active connections, as ipvsadm -L -n shows them");
        Families.Family inactive = f.gauge("lvsd_real_server_inactive_connections", "inactive connections, as ipvsadm -L -n shows them");
        Families.Family conns = f.counter("lvsd_real_server_connections", "connections forwarded");
        Families.Family bytesIn = f.counter("lvsd_real_server_received_bytes", "bytes received from clients for the real server");
        Families.Family bytesOut = f.counter("lvsd_real_server_sent_bytes", "bytes sent to clients from the real server");
        Families.Family restarts = f.counter("lvsd_real_server_nanny_restarts", "times the real server's nanny was restarted");
        for (Object o : st.getJsonArray("services")) {
            JsonObject s = (JsonObject) o;
            String service = s.getString("name");
            sorry.add(Boolean.TRUE.equals(s.getBoolean("sorry_active")) ? 1 : 0, "service", service);
            servers.add(s.getJsonArray("servers").size(), "service", service);
            for (Object p : s.getJsonArray("servers")) {
                JsonObject r = (JsonObject) p;
                String[] l = {"service", service, "server", endpoint(r)};
                String h = r.getString("health");
                up.add("up".equals(h) ? 1 : 0, l);
                for (String each : new String[] {"up", "down", "quiesced", "unknown"}) {
                    health.add(each.equals(h) ? 1 : 0, with(l, "health", each));
                }
                String ov = r.getString("override");
                for (String each : new String[] {"auto", "drain", "down", "up"}) {
                    override.add(each.equals(ov) ? 1 : 0, with(l, "override", each));
                }
                weight.add(r.getInteger("weight"), l);
                configured.add(r.getInteger("configured_weight"), l);
                inTable.add(Boolean.TRUE.equals(r.getBoolean("in_table")) ? 1 : 0, l);
                checks.add(r.getLong("checks"), l);
                failures.add(r.getLong("check_failures"), l);
                Double ms = r.getDouble("latency_ms");
                latency.add(ms == null ? 0 : ms / 1000, l);
                if (r.getValue("check_code") instanceof Number c) {
                    code.add(c.doubleValue(), with(l, "check", String.valueOf(r.getString("check"))));
                }
                if (r.getString("cert_expires") != null) {
                    cert.add(Instant.parse(r.getString("cert_expires")).getEpochSecond(), l);
                }
                active.add(r.getLong("active_conns"), l);
                inactive.add(r.getLong("inactive_conns"), l);
                conns.add(r.getLong("conns"), l);
                bytesIn.add(r.getLong("bytes_in"), l);
                bytesOut.add(r.getLong("bytes_out"), l);
                restarts.add(r.getInteger("nanny_restarts"), l);
            }
        }
        return f;
    }

    private static String[] with(String[] labels, String name, String value) {
        String[] w = java.util.Arrays.copyOf(labels, labels.length + 2);
        w[labels.length] = name;
        w[labels.length + 1] = value;
        return w;
    }
}
