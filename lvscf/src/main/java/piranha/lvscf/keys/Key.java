package piranha.lvscf.keys;


/**
 * One lvs.cf keyword: where it may stand, how its value reads, its default (null: none), what it
 * does, and a line of help for operators (the GUI shows it next to the field).
 */
public record Key(String name, Scope scope, ValueType type, Object defaultValue, Effect effect, String help) {
}
