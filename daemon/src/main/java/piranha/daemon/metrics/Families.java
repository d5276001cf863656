package piranha.daemon.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

/**
 * Gauges and counters read from a daemon's status at scrape time, as the Prometheus model's
 * snapshots: the daemon keeps one source of truth (its status) and the client library does the
 * naming rules, escaping and text. Counter names are given without {@code _total}; the format adds it.
 */
public final class Families {
    private final Map<String, Family> families = new LinkedHashMap<>();

    /** One metric family: its samples by label set. */
    public final class Family {
        private final String name;
        private final String help;
        private final boolean counter;
        private final List<Object[]> samples = new ArrayList<>();

        private Family(String name, String help, boolean counter) {
            this.name = name;
            this.help = help;
            this.counter = counter;
        }

        /** Adds a sample; {@code labels} are name, value pairs. */
        public Family add(double value, String... labels) {
            samples.add(new Object[] {value, Labels.of(labels)});
            return this;
        }

        MetricSnapshot snapshot() {
            if (counter) {
                CounterSnapshot.Builder b = CounterSnapshot.builder().name(name).help(help);
                for (Object[] s : samples) {
                    b.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder().labels((Labels) s[1]).value((Double) s[0]).build());
                }
                return b.build();
            }
            GaugeSnapshot.Builder b = GaugeSnapshot.builder().name(name).help(help);
            for (Object[] s : samples) {
                b.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().labels((Labels) s[1]).value((Double) s[0]).build());
            }
            return b.build();
        }
    }

    public Family gauge(String name, String help) {
        return families.computeIfAbsent(name, n -> new Family(n, help, false));
    }

    /** A counter; {@code name} without {@code _total}. */
    public Family counter(String name, String help) {
        return families.computeIfAbsent(name, n -> new Family(n, help, true));
    }

    public MetricSnapshots snapshots() {
        return new MetricSnapshots(families.values().stream().map(Family::snapshot).toList());
    }
}
