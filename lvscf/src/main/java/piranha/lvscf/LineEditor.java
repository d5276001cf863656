package piranha.lvscf;

import static piranha.lvscf.BlockLayout.indentOf;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import piranha.lvscf.keys.Key;
import piranha.lvscf.keys.Keys;
import piranha.lvscf.keys.Scope;
import piranha.lvscf.syntax.Lines;
import piranha.lvscf.syntax.Node;
import piranha.lvscf.syntax.SourceLine;
import piranha.lvscf.syntax.SyntaxTree;
import piranha.lvscf.syntax.Token;

/**
 * Line-level changes to a document, then one re-read of the whole text: only the lines an edit
 * touches change, every other byte of the file stays as it was.
 */
final class LineEditor {
    private final LvsCfDocument doc;
    private final SyntaxTree tree;
    final List<String[]> lines = new ArrayList<>();
    final String eol;

    LineEditor(LvsCfDocument doc) {
        this.doc = doc;
        this.tree = doc.syntax();
        this.eol = Lines.dominantEol(tree.lines());
        for (SourceLine l : tree.lines()) {
            lines.add(new String[] {l.text(), l.eol()});
        }
    }

    LineEditor set(Scope scope, List<Node> container, Node.Block block, String name, String value) {
        Key key = Keys.lookup(scope, name);
        if (key == null) {
            throw new IllegalArgumentException("unknown key '" + name + "' " + scope.where());
        }
        List<Node.Directive> existing = new ArrayList<>();
        for (Node n : container) {
            if (n instanceof Node.Directive d && d.name().equals(name)) {
                existing.add(d);
            }
        }
        if (value == null) {
            for (int i = existing.size() - 1; i >= 0; i--) {
                int at = existing.get(i).line().number() - 1;
                delete(at, at + 1);
            }
            return this;
        }
        if (!existing.isEmpty()) {
            Node.Directive d = existing.get(existing.size() - 1);
            List<Token> vs = d.values();
            String text = Encodable.require(doc, name, ValueText.format(key, value, vs.get(0).quote()));
            String line = d.line().text();
            replace(d.line().number() - 1, line.substring(0, vs.get(0).start()) + text + line.substring(vs.get(vs.size() - 1).end()));
            return this;
        }
        String text = Encodable.require(doc, name, ValueText.format(key, value, (char) 0));
        insertDirective(scope, container, block, name + " = " + text);
        return this;
    }

    /** A new key goes after the last member that precedes it in canonical order. */
    private void insertDirective(Scope scope, List<Node> container, Node.Block block, String directive) {
        String name = directive.substring(0, directive.indexOf(' '));
        int rank = Keys.rank(scope, name);
        Node.Directive after = null;
        Node.Directive firstAfter = null;
        Node.Directive any = null;
        for (Node n : container) {
            if (n instanceof Node.Directive d && Keys.lookup(scope, d.name()) != null) {
                any = any == null ? d : any;
                if (Keys.rank(scope, d.name()) < rank) {
                    after = d;
                } else if (firstAfter == null) {
                    firstAfter = d;
                }
            }
        }
        String indent;
        int at;
        if (after != null) {
            at = after.line().number();
            indent = indentOf(after.line());
        } else if (firstAfter != null) {
            at = firstAfter.line().number() - 1;
            indent = indentOf(firstAfter.line());
        } else if (block == null) {
            at = firstBlockLine(container);
            indent = "";
        } else {
            at = block.header().number();
            indent = indentOf(block.header()) + (block.kind().is("server") ? "    " : "     ");
        }
        if (any != null && after == null && firstAfter == null) {
            indent = indentOf(any.line());
        }
        insert(at, indent + directive);
    }

    private int firstBlockLine(List<Node> top) {
        for (Node n : top) {
            if (n instanceof Node.Block b) {
                return b.header().number() - 1;
            }
        }
        return lines.size();
    }

    void insert(int at, String... texts) {
        if (at > 0 && at == lines.size() && lines.get(at - 1)[1].isEmpty()) {
            lines.get(at - 1)[1] = eol;
        }
        for (int i = 0; i < texts.length; i++) {
            lines.add(at + i, new String[] {texts[i], eol});
        }
    }

    void replace(int index, String text) {
        lines.get(index)[0] = text;
    }

    void delete(int from, int to) {
        lines.subList(from, to).clear();
    }

    LvsCfDocument done() {
        StringBuilder sb = new StringBuilder();
        for (String[] l : lines) {
            sb.append(l[0]).append(l[1]);
        }
        if (doc.charset().equals(StandardCharsets.ISO_8859_1)) {
            // an edit may have replaced the only bytes that were not UTF-8: the file written then
            // reads as UTF-8, so the edited document is what those bytes say
            return LvsCfDocument.parseOwned(tree.file(), sb.toString().getBytes(StandardCharsets.ISO_8859_1), doc.resolver());
        }
        return LvsCfDocument.parse(tree.file(), sb.toString(), doc.resolver(), doc.charset(), null);
    }
}
