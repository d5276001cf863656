package piranha.lvscf;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import piranha.lvscf.keys.Key;
import piranha.lvscf.keys.Keys;
import piranha.lvscf.keys.Scope;
import piranha.lvscf.keys.ValueException;
import piranha.lvscf.keys.ValueType;
import piranha.lvscf.model.Globals;
import piranha.lvscf.model.Position;
import piranha.lvscf.model.RealServer;
import piranha.lvscf.model.Section;
import piranha.lvscf.model.Track;
import piranha.lvscf.model.VipGroup;
import piranha.lvscf.model.VirtualService;
import piranha.lvscf.syntax.Node;
import piranha.lvscf.syntax.SourceLine;
import piranha.lvscf.syntax.Token;

/**
 * Gives the syntax tree its meaning: keys looked up in their scope, values typed, defaults implied.
 * Each virtual block means the same wherever it stands, so a re-read interprets only the blocks
 * that changed; the globals are read again each time (they are a handful of lines).
 */
final class Interpreter {
    private final String file;
    private final HostResolver resolver;

    /** A service block's (or a track block's) meaning and what was wrong in it. */
    record Service(Section service, List<Diagnostic> diagnostics) {}

    Interpreter(String file, HostResolver resolver) {
        this.file = file;
        this.resolver = resolver;
    }

    static boolean isService(Node n) {
        return n instanceof Node.Block b && (b.kind().is("virtual") || b.kind().is("failover") || b.kind().is("track")
                || b.kind().is("vip_group"));
    }

    /** The top-level directives; their findings go to {@code out}. */
    Globals globals(List<Node> top, List<Diagnostic> out) {
        Values globals = new Values(Scope.GLOBAL, out);
        for (Node n : top) {
            if (n instanceof Node.Directive d) {
                globals.read(d);
            }
        }
        return new Globals(globals.values, globals.positions);
    }

    /** A {@code virtual}, {@code failover} or {@code track} block. */
    Service service(Node.Block block) {
        if (block.kind().is("track")) {
            return keysOnly(block, Scope.TRACK);
        }
        if (block.kind().is("vip_group")) {
            return keysOnly(block, Scope.VIP_GROUP);
        }
        List<Diagnostic> out = new ArrayList<>();
        Values values = new Values(Scope.VIRTUAL, out);
        List<RealServer> servers = new ArrayList<>();
        for (Node n : block.children()) {
            if (n instanceof Node.Directive d) {
                values.read(d);
            } else if (n instanceof Node.Block b && b.kind().is("server")) {
                servers.add(server(b, (Integer) values.valueOrDefault("port"), out));
            }
        }
        return new Service(new VirtualService(block.kindName(), block.nameText(), values.values, values.positions, servers,
                position(block.header(), block.kind())), out);
    }

    /** A {@code track} or {@code vip_group} block: its keys; a block inside it is an error. */
    private Service keysOnly(Node.Block block, Scope scope) {
        String kind = block.kind().text();
        List<Diagnostic> out = new ArrayList<>();
        Values values = new Values(scope, out);
        for (Node n : block.children()) {
            if (n instanceof Node.Directive d) {
                values.read(d);
            } else if (n instanceof Node.Block b) {
                out.add(new Diagnostic(file, b.header().number(), b.kind().column(), Severity.ERROR, null,
                        b.kind().text() + " block inside a " + kind + " block: a " + kind + " block holds keys only"));
            }
        }
        Position header = position(block.header(), block.kind());
        return new Service(scope == Scope.TRACK ? new Track(block.nameText(), values.values, values.positions, header)
                : new VipGroup(block.nameText(), values.values, values.positions, header), out);
    }

    /** A server's port defaults to the virtual port read so far (Piranha's order dependence). */
    private RealServer server(Node.Block block, int virtualPortSoFar, List<Diagnostic> out) {
        Values values = new Values(Scope.SERVER, out);
        for (Node n : block.children()) {
            if (n instanceof Node.Directive d) {
                values.read(d);
            }
        }
        values.values.putIfAbsent("port", virtualPortSoFar);
        return new RealServer(block.nameText(), values.values, values.positions, position(block.header(), block.kind()));
    }

    private static Position position(SourceLine line, Token t) {
        return new Position(line.number(), t.column());
    }

    private final class Values implements ValueType.Context {
        final Scope scope;
        final Map<String, Object> values = new LinkedHashMap<>();
        final Map<String, Position> positions = new LinkedHashMap<>();
        private final List<Diagnostic> diagnostics;
        private Node.Directive current;

        Values(Scope scope, List<Diagnostic> diagnostics) {
            this.scope = scope;
            this.diagnostics = diagnostics;
        }

        Object valueOrDefault(String key) {
            Object v = values.get(key);
            return v != null ? v : Keys.lookup(scope, key).defaultValue();
        }

        void read(Node.Directive d) {
            current = d;
            Key key = Keys.lookup(scope, d.name());
            if (key == null) {
                unknown(d);
                return;
            }
            List<Token> tokens = d.values();
            int arity = key.type().arity();
            if (arity > 0 && tokens.size() < arity) {
                error(d, d.values().get(tokens.size() - 1).end() + 1, "'" + key.name() + "' needs "
                        + arity + " values: " + key.type().description());
                return;
            }
            if (arity > 0 && tokens.size() > arity) {
                Token extra = tokens.get(arity);
                String hint = arity == 1 && key.type() == ValueType.STRING
                        ? " (quote a value that contains blanks)" : "";
                error(d, extra.column(), "unexpected '" + extra.text() + "' after the value of '" + key.name() + "'" + hint);
                return;
            }
            Object value;
            try {
                value = key.type().parse(tokens, this);
            } catch (ValueException e) {
                Token t = tokens.get(Math.min(e.token(), tokens.size() - 1));
                diagnostics.add(new Diagnostic(file, d.line().number(), t.column(), Severity.ERROR, key.name(),
                        key.name() + ": " + e.getMessage()));
                return;
            }
            if (values.containsKey(key.name())) {
                warn(d, d.key().column(), "'" + key.name() + "' is set again (first at line "
                        + positions.get(key.name()).line() + "); the last value wins");
            }
            values.put(key.name(), value);
            positions.put(key.name(), new Position(d.line().number(), tokens.get(0).column()));
            effectWarning(d, key);
        }

        private void effectWarning(Node.Directive d, Key key) {
            String why = switch (key.effect()) {
                case IGNORED -> "has no effect (Piranha ignored it too)";
                case LEGACY -> "is a legacy Piranha key that this implementation reads but does not act on";
                case GUI_ARTIFACT -> "was written by some Piranha GUI builds and is ignored "
                        + scope.where() + " (Piranha's daemons rejected it)";
                default -> null;
            };
            if (why != null) {
                warn(d, d.key().column(), "'" + key.name() + "' " + why);
            }
        }

        private void unknown(Node.Directive d) {
            List<Scope> elsewhere = Keys.scopesOf(d.name());
            String message;
            if (!elsewhere.isEmpty()) {
                List<String> where = new ArrayList<>();
                for (Scope s : elsewhere) {
                    where.add(s.where());
                }
                message = "'" + d.name() + "' is not valid " + scope.where() + "; it is valid only " + String.join(" or ", where);
            } else {
                String lower = d.name().toLowerCase(java.util.Locale.ROOT);
                String hint = !lower.equals(d.name()) && Keys.lookup(scope, lower) != null
                        ? " (keys are case-sensitive: did you mean '" + lower + "'?)" : "";
                message = "unknown key '" + d.name() + "'" + hint;
            }
            error(d, d.key().column(), message);
        }

        private void error(Node.Directive d, int column, String message) {
            diagnostics.add(new Diagnostic(file, d.line().number(), column, Severity.ERROR, d.name(), message));
        }

        private void warn(Node.Directive d, int column, String message) {
            diagnostics.add(new Diagnostic(file, d.line().number(), column, Severity.WARNING, d.name(), message));
        }

        @Override
        public HostResolver resolver() {
            return resolver;
        }

        @Override
        public void warn(int token, String message) {
            Token t = current.values().get(Math.min(token, current.values().size() - 1));
            diagnostics.add(new Diagnostic(file, current.line().number(), t.column(), Severity.WARNING,
                    current.name(), current.name() + ": " + message));
        }
    }

}
