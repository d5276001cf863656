package piranha.daemon.metrics;

import java.util.function.Function;
import java.util.function.Supplier;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.vertx.core.json.JsonObject;

/**
 * Series made at each scrape from a daemon's status, the one its control socket answers: one source
 * of truth for both, and nothing to keep in step between scrapes.
 */
public final class StatusCollector implements MultiCollector {
    private final Supplier<JsonObject> status;
    private final Function<JsonObject, Families> families;

    public StatusCollector(Supplier<JsonObject> status, Function<JsonObject, Families> families) {
        this.status = status;
        this.families = families;
    }

    @Override
    public MetricSnapshots collect() {
        return families.apply(status.get()).snapshots();
    }
}
