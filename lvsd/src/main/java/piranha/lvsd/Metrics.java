package piranha.lvsd;

import java.util.function.Supplier;
import java.util.logging.Logger;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;

/**
 * Prometheus text metrics on 127.0.0.1:PORT/metrics, from the same state as {@code status}.
 * Off unless {@code --metrics-port} is given.
 */
final class Metrics {
    private static final Logger LOG = Logger.getLogger("piranha.lvsd");

    private final Vertx vertx;
    private final Supplier<Future<JsonObject>> status;
    private HttpServer server;

    /** @param status lvsd's status, as the control socket answers it */
    Metrics(Vertx vertx, Supplier<Future<JsonObject>> status) {
        this.vertx = vertx;
        this.status = status;
    }

    Future<Void> listen(int port) {
        server = vertx.createHttpServer().requestHandler(req -> {
            if (!req.path().equals("/metrics")) {
                req.response().setStatusCode(404).end();
                return;
            }
            status.get().onComplete(ar -> {
                if (ar.failed()) {
                    req.response().setStatusCode(500).end();
                } else {
                    req.response().putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8").end(render(ar.result()));
                }
            });
        });
        return server.listen(port, "127.0.0.1").onSuccess(s -> LOG.info(() -> "metrics on http://127.0.0.1:" + port + "/metrics")).mapEmpty();
    }

    Future<Void> close() {
        return server == null ? Future.succeededFuture() : server.close();
    }

    static String render(JsonObject st) {
        StringBuilder sb = new StringBuilder();
        gauge(sb, "lvsd_ready", "1 when the table is programmed and the nannies run", "", st.getBoolean("ready") ? 1 : 0);
        counter(sb, "lvsd_reloads_total", "configuration reloads applied", "", st.getLong("reloads"));
        counter(sb, "lvsd_table_syncs_total", "table updates attempted", "", st.getLong("table_syncs"));
        counter(sb, "lvsd_table_failures_total", "table updates that failed", "", st.getLong("table_failures"));
        counter(sb, "lvsd_table_repairs_total", "times the table was found changed behind lvsd's back and repaired", "", st.getLong("table_repairs"));
        counter(sb, "lvsd_log_lines_dropped_total", "log lines syslog did not take in time (never waited for)", "", st.getLong("log_lines_dropped"));
        JsonObject probes = st.getJsonObject("probes");
        if (probes != null) {
            gauge(sb, "lvsd_probes", "distinct health-check probes running (identical checks share one)", "", probes.getInteger("distinct"));
        }
        head(sb, "lvsd_real_server_up", "gauge", "1 when the real server's nanny says it is up");
        head(sb, "lvsd_real_server_weight", "gauge", "weight of the real server in the table (0 when out or quiesced)");
        head(sb, "lvsd_real_server_checks_total", "counter", "health checks run");
        head(sb, "lvsd_real_server_check_failures_total", "counter", "health checks failed");
        head(sb, "lvsd_real_server_check_latency_seconds", "gauge", "duration of the last health check");
        head(sb, "lvsd_real_server_check_code", "gauge", "the last check's protocol code: HTTP status, SMTP reply, DNS rcode, script exit status");
        head(sb, "lvsd_real_server_certificate_expiry_timestamp_seconds", "gauge", "end of validity of the real server's TLS certificate (https checks)");
        head(sb, "lvsd_real_server_active_connections", "gauge", "active connections, as ipvsadm -L -n shows them");
        head(sb, "lvsd_real_server_connections_total", "counter", "connections forwarded");
        for (Object o : st.getJsonArray("services")) {
            JsonObject s = (JsonObject) o;
            for (Object p : s.getJsonArray("servers")) {
                JsonObject r = (JsonObject) p;
                String labels = "{service=\"" + esc(s.getString("name")) + "\",server=\"" + (r.getString("address").indexOf(':') >= 0 ? "[" + r.getString("address") + "]" : r.getString("address")) + ":" + r.getInteger("port") + "\"}";
                sb.append("lvsd_real_server_up").append(labels).append(' ').append("up".equals(r.getString("health")) ? 1 : 0).append('\n');
                sb.append("lvsd_real_server_weight").append(labels).append(' ').append(r.getInteger("weight")).append('\n');
                sb.append("lvsd_real_server_checks_total").append(labels).append(' ').append(r.getLong("checks")).append('\n');
                sb.append("lvsd_real_server_check_failures_total").append(labels).append(' ').append(r.getLong("check_failures")).append('\n');
                Double ms = r.getDouble("latency_ms");
                sb.append("lvsd_real_server_check_latency_seconds").append(labels).append(' ').append(ms == null ? 0 : ms / 1000).append('\n');
                if (r.getValue("check_code") instanceof Number code) {
                    sb.append("lvsd_real_server_check_code").append(kind(labels, r)).append(' ').append(code).append('\n');
                }
                if (r.getString("cert_expires") != null) {
                    sb.append("lvsd_real_server_certificate_expiry_timestamp_seconds").append(labels).append(' ')
                            .append(java.time.Instant.parse(r.getString("cert_expires")).getEpochSecond()).append('\n');
                }
                sb.append("lvsd_real_server_active_connections").append(labels).append(' ').append(r.getLong("active_conns")).append('\n');
                sb.append("lvsd_real_server_connections_total").append(labels).append(' ').append(r.getLong("conns")).append('\n');
            }
        }
        return sb.toString();
    }

    /** The labels with the check's kind added. */
    private static String kind(String labels, JsonObject r) {
        return labels.substring(0, labels.length() - 1) + ",check=\"" + esc(String.valueOf(r.getString("check"))) + "\"}";
    }

    private static void head(StringBuilder sb, String name, String type, String help) {
        sb.append("# HELP ").append(name).append(' ').append(help).append('\n');
        sb.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    private static void gauge(StringBuilder sb, String name, String help, String labels, long v) {
        head(sb, name, "gauge", help);
        sb.append(name).append(labels).append(' ').append(v).append('\n');
    }

    private static void counter(StringBuilder sb, String name, String help, String labels, long v) {
        head(sb, name, "counter", help);
        sb.append(name).append(labels).append(' ').append(v).append('\n');
    }

    /** Label values escape backslash, quote and newline (Prometheus text format). */
    static String esc(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
