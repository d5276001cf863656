package piranha.lvscf;

import java.util.ArrayList;
import java.util.List;

import piranha.lvscf.syntax.Node;
import piranha.lvscf.syntax.SourceLine;

/** Where the blocks of a syntax tree stand in the text: their lines, ends and indentation, for edits. */
final class BlockLayout {
    private BlockLayout() {}

    static List<Node.Block> blocks(List<Node> nodes, String kind) {
        List<Node.Block> out = new ArrayList<>();
        for (Node n : nodes) {
            if (n instanceof Node.Block b && b.kind().is(kind)) {
                out.add(b);
            }
        }
        return out;
    }

    /** Index of the line after the block (its closing brace, or its last member at end of file). */
    static int end(Node.Block b) {
        if (b.close() != null) {
            return b.close().number();
        }
        return lastLine(b);
    }

    private static int lastLine(Node.Block b) {
        int last = b.header().number();
        for (Node n : b.children()) {
            last = Math.max(last, n instanceof Node.Block c ? (c.close() != null ? c.close().number() : lastLine(c)) : lineOf(n).number());
        }
        return last;
    }

    private static SourceLine lineOf(Node n) {
        if (n instanceof Node.Directive d) {
            return d.line();
        } else if (n instanceof Node.Trivia t) {
            return t.line();
        } else if (n instanceof Node.Bad b) {
            return b.line();
        }
        return ((Node.Block) n).header();
    }

    static String indentOf(SourceLine l) {
        int i = 0;
        while (i < l.text().length() && (l.text().charAt(i) == ' ' || l.text().charAt(i) == '\t')) {
            i++;
        }
        return l.text().substring(0, i);
    }

    static String memberIndent(Node.Block b, String fallback) {
        for (Node n : b.children()) {
            if (n instanceof Node.Directive d) {
                return indentOf(d.line());
            }
        }
        return fallback;
    }
}
