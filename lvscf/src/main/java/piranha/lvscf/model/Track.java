package piranha.lvscf.model;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import piranha.lvscf.keys.Scope;

/**
 * A {@code track NAME {} block (extension): a check of the director itself, run by pulse. While it
 * fails the director is not eligible to be active (keepalived's {@code track_script}).
 */
public final class Track extends Section {
    /** The keys that name what is checked; a block sets exactly one. */
    public static final java.util.List<String> PROBES = java.util.List.of("command", "process", "tcp", "http");

    private final String name;
    private final Position header;

    public Track(String name, Map<String, Object> values, Map<String, Position> positions, Position header) {
        super(Scope.TRACK, values, positions);
        this.name = name;
        this.header = header;
    }

    public String name() {
        return name;
    }

    public Position header() {
        return header;
    }

    /** The probe key set in the block (the first written when the file sets several, an error), if any. */
    public Optional<String> probe() {
        return probes().stream().findFirst();
    }

    /** The probe keys set in the block, in the order they are written. */
    public java.util.List<String> probes() {
        return PROBES.stream().filter(this::isSet)
                .sorted(java.util.Comparator.comparingInt((String k) -> position(k).line()).thenComparingInt(k -> position(k).column()))
                .toList();
    }

    public int interval() {
        return get("interval", Integer.class);
    }

    /** Each check's deadline: {@code timeout}, else {@code interval}. */
    public int timeout() {
        Object t = value("timeout");
        return t == null ? interval() : (Integer) t;
    }

    public int fall() {
        return get("fall", Integer.class);
    }

    public int rise() {
        return get("rise", Integer.class);
    }

    @Override
    protected boolean sameBlock(Section other) {
        return other instanceof Track t && name.equals(t.name);
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), name);
    }
}
