package piranha.lvsd;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Logger;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import piranha.lvscf.LvsCfDocument;
import piranha.dataplane.IpvsadmArgs;
import piranha.dataplane.ServiceKey;
import piranha.nanny.NannyConfig;

/**
 * A reload of lvs.cf as a diff: re-read, plan, stop the nannies of what went away or checks
 * differently, start those of what is new, and sync the table of the changed services only.
 * A file with errors changes nothing. Runs on lvsd's context.
 */
final class Reload {
    private static final Logger LOG = Logger.getLogger("piranha.lvsd");

    /** What each step of one reload took, in ms: the reply's {@code timings_ms}. */
    record Timings(double read, double plan, double nannies, double table, double total, double cpu) {

        /** From the step boundaries (System.nanoTime) and the CPU time the reload's threads spent. */
        static Timings of(long start, long read, long planned, long nanniesDone, long end, long cpuNanos) {
            return new Timings(ms(start, read), ms(read, planned), ms(planned, nanniesDone), ms(nanniesDone, end),
                    ms(start, end), ms(0, cpuNanos));
        }

        private static double ms(long from, long to) {
            return Math.round((to - from) / 1e4) / 100.0;
        }

        JsonObject toJson() {
            return new JsonObject().put("read", read).put("plan", plan).put("nannies", nannies).put("table", table)
                    .put("total", total).put("cpu", cpu);
        }
    }

    /** What one reload changes: lines for the reply, nannies being stopped or re-weighed, services to sync. */
    private static final class Changes {
        final List<String> lines = new ArrayList<>();
        final List<Future<Void>> waits = new ArrayList<>();
        final Set<ServiceKey> touched = new LinkedHashSet<>();
    }

    private final ConfigReader reader;
    private final Planner planner;
    private final TableKeeper keeper;
    private final Monitors monitors;
    private final boolean testStart;
    private LvsCfDocument document;
    private long count;

    Reload(ConfigReader reader, Planner planner, TableKeeper keeper, Monitors monitors, boolean testStart,
            LvsCfDocument document) {
        this.reader = reader;
        this.planner = planner;
        this.keeper = keeper;
        this.monitors = monitors;
        this.testStart = testStart;
        this.document = document;
    }

    /** The configuration in force: the last one read without errors. */
    LvsCfDocument document() {
        return document;
    }

    /** Reloads applied since start. */
    long count() {
        return count;
    }

    Future<JsonObject> run() {
        LOG.info("rereading configuration file");
        long start = System.nanoTime();
        return reader.read(document).recover(e -> {
            LOG.severe(() -> "reload refused: " + e.getMessage());
            return Future.failedFuture(e.getMessage());
        }).compose(read -> apply(read, start));
    }

    private Future<JsonObject> apply(ConfigReader.Read read, long start) {
        long readDone = System.nanoTime();
        long cpu0 = ConfigReader.cpuNanos();
        LvsCfDocument next = read.document();
        if (next.hasErrors()) {
            next.errors().forEach(d -> LOG.severe(() -> "reload refused: " + d));
            return Future.failedFuture("reload refused, the running configuration stays:\n"
                    + String.join("\n", next.errors().stream().map(Object::toString).toList()));
        }
        Plan old = keeper.plan();
        Plan plan = planner.plan(next.config());
        Changes changes = diff(old, plan, next.config().globals().drainTimeout());
        long planned = System.nanoTime();
        long planCpu = read.cpuNanos() + ConfigReader.cpuNanos() - cpu0;
        return Future.join(changes.waits).compose(x -> {
            long cpu1 = ConfigReader.cpuNanos();
            document = next;
            keeper.plan(plan);
            startNannies(old, changes);
            boolean timeouts = !plan.timeouts().equals(old.timeouts());
            Future<Void> t = timeouts ? keeper.timeouts(plan.timeouts()) : Future.succeededFuture();
            count++;
            long nanniesDone = System.nanoTime();
            Future<Void> synced = t.compose(y -> keeper.sync(changes.touched));
            // A sync computes and hands over its changes before it returns; applying them is the backend's.
            long cpu = planCpu + ConfigReader.cpuNanos() - cpu1;
            return synced.map(y -> Timings.of(start, readDone, planned, nanniesDone, System.nanoTime(), cpu));
        }).map(timings -> {
            changes.lines.forEach(c -> LOG.info(() -> "reload: " + c));
            return new JsonObject().put("reloaded", true).put("changes", changes.lines)
                    .put("services_changed", changes.touched.size()).put("timings_ms", timings.toJson());
        });
    }

    /**
     * Only services whose plan changed are looked at: a block the re-read took over is planned as
     * the same object, and its nannies and table entries stay as they are.
     */
    private Changes diff(Plan old, Plan plan, java.time.Duration drainTimeout) {
        Changes c = new Changes();
        Map<ServiceKey, Plan.Service> gone = old.byKey();
        for (Plan.Service n : plan.services()) {
            Plan.Service s = gone.remove(n.spec().key());
            if (s == n || n.equals(s)) {
                continue;
            }
            c.touched.add(n.spec().key());
            if (s != null) {
                changedServers(s, n, c);
                for (ServerId id : s.servers().keySet()) {
                    if (!n.servers().containsKey(id)) {
                        keeper.leave(id, drainTimeout);
                    }
                }
                if (!s.spec().equals(n.spec())) {
                    c.lines.add("changed virtual service " + n.name() + ": " + IpvsadmArgs.line(IpvsadmArgs.serviceOptions(n.spec())));
                }
            }
        }
        for (Plan.Service s : old.services()) {
            if (!gone.containsKey(s.spec().key())) {
                continue;
            }
            c.touched.add(s.spec().key());
            changedServers(s, null, c);
            LOG.info(() -> "shutting down virtual service " + s.name());
            c.lines.add("removed virtual service " + s.name() + " (" + s.spec().key().ipvsadm() + ")");
        }
        return c;
    }

    /**
     * The real servers of a service whose plan changed ({@code n} null: removed): removed ones
     * stop, those whose check changed are stopped to be started again, a new weight is handed
     * to the running nanny (which owns the weight in the table).
     */
    private void changedServers(Plan.Service s, Plan.Service n, Changes c) {
        for (Plan.Server rs : s.servers().values()) {
            Plan.Server now = n == null ? null : n.servers().get(rs.id());
            if (now == null) {
                c.lines.add("removed real server " + rs.id());
                c.waits.add(monitors.stop(rs.id()));
                keeper.drain(rs.id(), false);
            } else if (!sameCheck(rs.check(), now.check())) {
                c.lines.add("restarted the nanny of " + rs.id() + " (check settings changed)");
                c.waits.add(monitors.stop(rs.id()));
            } else if (!rs.equals(now)) {
                if (rs.destination().weight() != now.destination().weight()) {
                    c.lines.add("weight of " + rs.id() + ": " + rs.destination().weight() + " -> " + now.destination().weight());
                }
                c.waits.add(monitors.update(now));
            }
        }
    }

    /** Starts the nannies of the changed services' real servers that have none running. */
    private void startNannies(Plan old, Changes c) {
        Map<ServiceKey, Plan.Service> before = old.byKey();
        for (ServiceKey key : c.touched) {
            Plan.Service s = keeper.planned(key);
            if (s == null) {
                continue;
            }
            Plan.Service was = before.get(key);
            if (was == null) {
                LOG.info(() -> "starting virtual service " + s.name() + " active: " + s.port());
                c.lines.add("added virtual service " + s.name() + " (" + key.ipvsadm() + ")");
            }
            for (Plan.Server rs : s.servers().values()) {
                if (!monitors.has(rs.id()) && !testStart) {
                    if (was == null || !was.servers().containsKey(rs.id())) {
                        c.lines.add("added real server " + rs.id());
                    }
                    monitors.start(s.name(), rs);
                }
            }
        }
    }

    /** Whether two nanny settings check the same way (the weight is applied without a restart). */
    static boolean sameCheck(NannyConfig a, NannyConfig b) {
        return a.withWeight(1).equals(b.withWeight(1));
    }
}
