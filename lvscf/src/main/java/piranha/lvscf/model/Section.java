package piranha.lvscf.model;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

import piranha.lvscf.keys.Key;
import piranha.lvscf.keys.Keys;
import piranha.lvscf.keys.Scope;

/**
 * The values set in one scope of the file (the globals, one virtual, one server), typed, with
 * the last occurrence of a repeated key winning as in Piranha. Where each value was read is kept
 * beside it for diagnostics, and is not part of equality.
 */
public abstract class Section {
    private final Scope scope;
    private final Map<String, Object> values;
    private final Map<String, Position> positions;

    protected Section(Scope scope, Map<String, Object> values, Map<String, Position> positions) {
        this.scope = scope;
        this.values = Collections.unmodifiableMap(new HashMap<>(values));
        this.positions = Collections.unmodifiableMap(new HashMap<>(positions));
    }

    public Scope scope() {
        return scope;
    }

    /** The values written in the file (plus a server's inherited port), without defaults. */
    public Map<String, Object> explicitValues() {
        return values;
    }

    public boolean isSet(String key) {
        return values.containsKey(key);
    }

    /** The value in effect: the one written, else the key's default (null if it has none). */
    public Object value(String key) {
        Object v = values.get(key);
        if (v != null) {
            return v;
        }
        Key k = Keys.lookup(scope, key);
        if (k == null) {
            throw new IllegalArgumentException("no key '" + key + "' " + scope.where());
        }
        return k.defaultValue();
    }

    protected <T> T get(String key, Class<T> type) {
        return type.cast(value(key));
    }

    /** Where the key's value was read, or {@link Position#NONE}. */
    public Position position(String key) {
        return positions.getOrDefault(key, Position.NONE);
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (o == null || o.getClass() != getClass()) {
            return false;
        }
        Section s = (Section) o;
        return scope == s.scope && values.equals(s.values) && sameBlock(s);
    }

    /** Subclasses compare what identifies a block (name, servers). */
    protected boolean sameBlock(Section other) {
        return true;
    }

    @Override
    public int hashCode() {
        return Objects.hash(scope, values);
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + values;
    }
}
