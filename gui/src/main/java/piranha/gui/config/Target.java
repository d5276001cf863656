package piranha.gui.config;

import java.util.ArrayList;
import java.util.List;

import piranha.lvscf.LvsCfDocument;
import piranha.lvscf.keys.Scope;
import piranha.lvscf.syntax.Node;

/** The part of lvs.cf a form edits: the globals, the i-th virtual block, one of its servers, or the i-th failover block. */
public sealed interface Target {
    Scope scope();

    LvsCfDocument with(LvsCfDocument doc, String key, String value);

    LvsCfDocument rename(LvsCfDocument doc, String name);

    /** The nodes of the target (top level, or the block's members). Null when it does not exist. */
    List<Node> members(LvsCfDocument doc);

    /** First and last line of the block (1-based), or null for the globals. */
    int[] lines(LvsCfDocument doc);

    String name(LvsCfDocument doc);

    record Global() implements Target {
        public Scope scope() {
            return Scope.GLOBAL;
        }

        public LvsCfDocument with(LvsCfDocument doc, String key, String value) {
            return doc.withGlobal(key, value);
        }

        public LvsCfDocument rename(LvsCfDocument doc, String name) {
            throw new IllegalArgumentException("the global settings have no name");
        }

        public List<Node> members(LvsCfDocument doc) {
            return doc.syntax().nodes();
        }

        public int[] lines(LvsCfDocument doc) {
            return null;
        }

        public String name(LvsCfDocument doc) {
            return "";
        }
    }

    /** A target that is a block of the file: its members, lines and name are the block's. */
    sealed interface InBlock extends Target permits Virtual, Server, Failover {
        /** The block, or null when it does not exist. */
        Node.Block block(LvsCfDocument doc);

        default List<Node> members(LvsCfDocument doc) {
            Node.Block b = block(doc);
            return b == null ? null : b.children();
        }

        default int[] lines(LvsCfDocument doc) {
            return span(block(doc));
        }

        default String name(LvsCfDocument doc) {
            return block(doc).nameText();
        }
    }

    record Virtual(int index) implements InBlock {
        public Scope scope() {
            return Scope.VIRTUAL;
        }

        public LvsCfDocument with(LvsCfDocument doc, String key, String value) {
            return doc.withVirtual(index, key, value);
        }

        public LvsCfDocument rename(LvsCfDocument doc, String name) {
            return doc.renameVirtual(index, name);
        }

        public Node.Block block(LvsCfDocument doc) {
            List<Node.Block> vs = blocks(doc.syntax().nodes(), "virtual");
            return index >= 0 && index < vs.size() ? vs.get(index) : null;
        }
    }

    record Server(int virtual, int index) implements InBlock {
        public Scope scope() {
            return Scope.SERVER;
        }

        public LvsCfDocument with(LvsCfDocument doc, String key, String value) {
            return doc.withServer(virtual, index, key, value);
        }

        public LvsCfDocument rename(LvsCfDocument doc, String name) {
            return doc.renameServer(virtual, index, name);
        }

        public Node.Block block(LvsCfDocument doc) {
            Node.Block v = new Virtual(virtual).block(doc);
            if (v == null) {
                return null;
            }
            List<Node.Block> ss = blocks(v.children(), "server");
            return index >= 0 && index < ss.size() ? ss.get(index) : null;
        }
    }

    /** A {@code failover} block (service = fos); its keys are those of a virtual block. */
    record Failover(int index) implements InBlock {
        public Scope scope() {
            return Scope.VIRTUAL;
        }

        public LvsCfDocument with(LvsCfDocument doc, String key, String value) {
            return doc.withFailover(index, key, value);
        }

        public LvsCfDocument rename(LvsCfDocument doc, String name) {
            return doc.renameFailover(index, name);
        }

        public Node.Block block(LvsCfDocument doc) {
            List<Node.Block> fs = blocks(doc.syntax().nodes(), "failover");
            return index >= 0 && index < fs.size() ? fs.get(index) : null;
        }
    }

    static List<Node.Block> blocks(List<Node> nodes, String kind) {
        List<Node.Block> out = new ArrayList<>();
        for (Node n : nodes) {
            if (n instanceof Node.Block b && b.kindName().equals(kind)) {
                out.add(b);
            }
        }
        return out;
    }

    private static int[] span(Node.Block b) {
        if (b == null) {
            return null;
        }
        int last = b.close() != null ? b.close().number() : Integer.MAX_VALUE;
        return new int[] {b.header().number(), last};
    }

    default boolean exists(LvsCfDocument doc) {
        return members(doc) != null;
    }

    /** The value as the file holds it (quotes removed), or null when the key is absent. */
    default String text(LvsCfDocument doc, String key) {
        if (key.equals(Field.NAME)) {
            return name(doc);
        }
        String found = null;
        for (Node n : members(doc)) {
            if (n instanceof Node.Directive d && d.name().equals(key)) {
                found = d.valueText();
            }
        }
        return found;
    }
}
