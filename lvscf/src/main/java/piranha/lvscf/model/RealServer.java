package piranha.lvscf.model;

import java.util.Map;
import java.util.Objects;

import piranha.lvscf.keys.Scope;

/** A {@code server NAME {} block. */
public final class RealServer extends Section {
    private final String name;
    private final Position header;

    public RealServer(String name, Map<String, Object> values, Map<String, Position> positions, Position header) {
        super(Scope.SERVER, values, positions);
        this.name = name;
        this.header = header;
    }

    public String name() {
        return name;
    }

    public Position header() {
        return header;
    }

    public Host address() {
        return get("address", Host.class);
    }

    public boolean active() {
        return get("active", Boolean.class);
    }

    /** The real port: as written, else the virtual port in effect where the block began. */
    public int port() {
        return get("port", Integer.class);
    }

    /** The configured weight as written (0 is raised to 1 only when it reaches the table). */
    public int weight() {
        return get("weight", Integer.class);
    }

    /** {@code IP:PORT}, how logs and ipvsadm name a real server. */
    public String endpoint() {
        return Values.endpoint(address().address(), port());
    }

    @Override
    protected boolean sameBlock(Section other) {
        return name.equals(((RealServer) other).name);
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), name);
    }

    @Override
    public String toString() {
        return "server " + name + explicitValues();
    }
}
