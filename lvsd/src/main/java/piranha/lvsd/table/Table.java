package piranha.lvsd.table;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import piranha.dataplane.DestinationSpec;
import piranha.dataplane.ServiceKey;
import piranha.dataplane.ServiceSpec;

/**
 * An IPVS table, or the part of one that lvsd owns: virtual services, each with its destinations
 * by endpoint. Immutable; built with {@link Builder}.
 */
public final class Table {

    /** One service and its destinations by {@code IP:PORT}. */
    public record Entry(ServiceSpec spec, Map<String, DestinationSpec> destinations) {}

    public static final Table EMPTY = new Table(Map.of());

    private final Map<ServiceKey, Entry> services;

    private Table(Map<ServiceKey, Entry> services) {
        this.services = services;
    }

    public Map<ServiceKey, Entry> services() {
        return services;
    }

    public Entry get(ServiceKey key) {
        return services.get(key);
    }

    /** The services of this table that {@code owned} names; what lvsd may change. */
    public Table only(java.util.Set<ServiceKey> owned) {
        Builder b = new Builder();
        services.forEach((k, e) -> {
            if (owned.contains(k)) {
                b.service(e.spec());
                e.destinations().values().forEach(d -> b.destination(k, d));
            }
        });
        return b.build();
    }

    /** This table with the services {@code keys} as {@code other} has them (absent where it has none). */
    public Table with(Table other, java.util.Collection<ServiceKey> keys) {
        Map<ServiceKey, Entry> m = new LinkedHashMap<>(services);
        for (ServiceKey k : keys) {
            Entry e = other.get(k);
            if (e == null) {
                m.remove(k);
            } else {
                m.put(k, e);
            }
        }
        return new Table(Collections.unmodifiableMap(m));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Table t && services.equals(t.services);
    }

    @Override
    public int hashCode() {
        return services.hashCode();
    }

    @Override
    public String toString() {
        return services.toString();
    }

    public static final class Builder {
        private final Map<ServiceKey, ServiceSpec> specs = new LinkedHashMap<>();
        private final Map<ServiceKey, Map<String, DestinationSpec>> dests = new LinkedHashMap<>();

        public Builder service(ServiceSpec spec) {
            specs.put(spec.key(), spec);
            dests.computeIfAbsent(spec.key(), k -> new LinkedHashMap<>());
            return this;
        }

        public Builder destination(ServiceKey key, DestinationSpec d) {
            if (!specs.containsKey(key)) {
                throw new IllegalArgumentException("no service " + key + " for destination " + d.endpoint());
            }
            dests.get(key).put(d.endpoint(), d);
            return this;
        }

        public boolean has(ServiceKey key) {
            return specs.containsKey(key);
        }

        public Table build() {
            Map<ServiceKey, Entry> m = new LinkedHashMap<>();
            specs.forEach((k, s) -> m.put(k, new Entry(s, Collections.unmodifiableMap(new LinkedHashMap<>(dests.get(k))))));
            return new Table(Collections.unmodifiableMap(m));
        }
    }
}
