package piranha.gui.config;

import java.util.ArrayList;
import java.util.List;

import piranha.lvscf.keys.Key;
import piranha.lvscf.keys.Keys;
import piranha.lvscf.keys.Scope;
import piranha.lvscf.keys.ValueType;

/**
 * One form field: an lvs.cf key (or the block's name) with the label Piranha's GUI gave it and
 * the help text of {@link Keys}. An empty field removes the key, so the default applies.
 */
public record Field(String key, String label, Kind kind, String help, List<String> choices, String defaultText) {
    /** The field holding a virtual's or server's block name. */
    public static final String NAME = "name";

    public enum Kind { TEXT, SELECT, NAME }

    public static Field of(Scope scope, String keyName, String label) {
        Key key = Keys.lookup(scope, keyName);
        if (key == null) {
            throw new IllegalArgumentException("no key " + keyName + " " + scope.where());
        }
        List<String> choices = new ArrayList<>();
        Kind kind = Kind.TEXT;
        if (key.type() == ValueType.BOOL) {
            choices.addAll(List.of("0", "1"));
            kind = Kind.SELECT;
        } else if (!key.type().choices().isEmpty()) {
            for (Object c : key.type().choices()) {
                choices.add(key.type().format(c));
            }
            kind = Kind.SELECT;
        }
        String dflt = key.defaultValue() == null ? null : key.type().format(key.defaultValue());
        return new Field(keyName, label, kind, key.help() + " (" + key.type().description() + ")", List.copyOf(choices), dflt);
    }

    public static Field name(String label, String help) {
        return new Field(NAME, label, Kind.NAME, help, List.of(), null);
    }

    public boolean isName() {
        return kind == Kind.NAME;
    }

    /** Values that must stay exactly as typed; others lose blanks around them. */
    public boolean keepsBlanks(Scope scope) {
        Key k = isName() ? null : Keys.lookup(scope, key);
        return k != null && k.type() == ValueType.STRING;
    }
}
