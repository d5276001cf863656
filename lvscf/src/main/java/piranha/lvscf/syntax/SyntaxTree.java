package piranha.lvscf.syntax;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;

import piranha.lvscf.Diagnostic;
import piranha.lvscf.Severity;

/**
 * An lvs.cf file as lines and a tree over them. Writing the lines back in order reproduces the
 * input byte for byte; the tree says what each line is. Syntax errors (quotes, braces, missing
 * {@code =}) are collected here; what keys mean is the interpreter's business.
 */
public final class SyntaxTree {
    private static final String CLOSE_HINT = "a block's closing '}' must stand on a line of its own";
    /**
     * How deep blocks may nest before the reader stops building a tree of them. lvs.cf has two
     * levels (a service, its servers); a few more are read as ordinary errors. Past this, a
     * block's lines are kept flat, so neither the reader nor anything walking the tree recurses
     * deeper, whatever the file holds.
     */
    public static final int MAX_NESTING = 8;
    /** The message of the finding at the first block nested deeper than {@link #MAX_NESTING}. */
    public static final String TOO_DEEP = "blocks nested more than " + MAX_NESTING
            + " deep (lvs.cf has two levels: virtual or failover, then server); nothing inside this block is read";

    private final String file;
    private final List<SourceLine> lines;
    private final List<Node> nodes;
    private final List<Diagnostic> diagnostics;

    private SyntaxTree(String file, List<SourceLine> lines, List<Node> nodes, List<Diagnostic> diagnostics) {
        this.file = file;
        this.lines = List.copyOf(lines);
        this.nodes = List.copyOf(nodes);
        this.diagnostics = List.copyOf(diagnostics);
    }

    public String file() {
        return file;
    }

    public List<SourceLine> lines() {
        return lines;
    }

    /** Top-level nodes in file order. */
    public List<Node> nodes() {
        return nodes;
    }

    public List<Diagnostic> diagnostics() {
        return diagnostics;
    }

    public String text() {
        StringBuilder sb = new StringBuilder();
        for (SourceLine l : lines) {
            sb.append(l.text()).append(l.eol());
        }
        return sb.toString();
    }

    public static SyntaxTree parse(String file, String text) {
        List<SourceLine> lines = Lines.split(text);
        Fragment all = read(file, lines, 0, at -> false);
        return new SyntaxTree(file, lines, all.nodes(), all.diagnostics());
    }

    /** A tree assembled from nodes read separately (a re-read that kept the unchanged ones). */
    public static SyntaxTree of(String file, List<SourceLine> lines, List<Node> nodes, List<Diagnostic> diagnostics) {
        return new SyntaxTree(file, lines, nodes, diagnostics);
    }

    /**
     * Top-level nodes read from {@code lines}, starting at index {@code from}: a run of the file
     * read exactly as a whole-file parse reads it there. Reading stops at the end of the lines, or
     * before the first node that starts at an index {@code resyncAt} accepts.
     */
    public static Fragment read(String file, List<SourceLine> lines, int from, IntPredicate resyncAt) {
        Builder b = new Builder(file, lines);
        b.next = from;
        List<Node> top = new ArrayList<>();
        while (b.next < lines.size() && !resyncAt.test(b.next)) {
            top.add(b.readTop());
        }
        return new Fragment(top, b.diagnostics, b.next);
    }

    /** Nodes read by {@link #read}, their diagnostics, and the index of the line after them. */
    public record Fragment(List<Node> nodes, List<Diagnostic> diagnostics, int end) {}

    /** The index of a node's first line in its tree's lines. */
    public static int firstLine(Node n) {
        if (n instanceof Node.Directive d) {
            return d.line().number() - 1;
        } else if (n instanceof Node.Trivia t) {
            return t.line().number() - 1;
        } else if (n instanceof Node.Bad b) {
            return b.line().number() - 1;
        }
        return ((Node.Block) n).header().number() - 1;
    }

    private static final class Builder {
        private final String file;
        private final List<SourceLine> lines;
        private final List<Diagnostic> diagnostics = new ArrayList<>();
        private int next;

        Builder(String file, List<SourceLine> lines) {
            this.file = file;
            this.lines = lines;
        }

        /** One top-level node: a line, or a block with every line up to its closing brace. */
        Node readTop() {
            SourceLine line = lines.get(next++);
            Tokenizer.Result r = Tokenizer.tokenize(line.text());
            if (!r.ok()) {
                error(line, r.unterminatedQuoteColumn(), "unterminated quote: the string has no closing quote on this line");
                return new Node.Bad(line);
            } else if (r.tokens().isEmpty()) {
                return new Node.Trivia(line);
            } else if (r.tokens().get(0).is("}")) {
                error(line, r.tokens().get(0).column(), "'}' without an open block");
                return new Node.Bad(line);
            }
            return readLine(line, r.tokens(), 0);
        }

        /** Reads a directive, or a block header and everything up to its closing brace. */
        private Node readLine(SourceLine line, List<Token> tokens, int depth) {
            Token first = tokens.get(0);
            boolean header = tokens.size() >= 2 && !tokens.get(1).is("=")
                    && (isBlockKind(first) || tokens.get(tokens.size() - 1).is("{"));
            if (first.is("{")) {
                error(line, first.column(), "'{' must end a block header such as 'virtual NAME {' on the same line");
                return new Node.Bad(line);
            }
            if (header || isBlockKind(first) && tokens.size() == 1) {
                return readBlock(line, tokens, depth);
            }
            return readDirective(line, tokens);
        }

        private Node readDirective(SourceLine line, List<Token> tokens) {
            Token key = tokens.get(0);
            if (tokens.size() == 1) {
                if (key.text().contains("=")) {
                    error(line, key.column(), "'" + key.text() + "': put blanks around '=' (key = value)");
                } else {
                    error(line, key.column(), "'" + key.text() + "' needs '= value' after it");
                }
                return new Node.Bad(line);
            }
            if (!tokens.get(1).is("=")) {
                String hint = key.text().contains("=") ? ": put blanks around '=' (key = value)" : "";
                error(line, tokens.get(1).column(), "expected '=' after '" + key.text() + "'" + hint);
                return new Node.Bad(line);
            }
            List<Token> values = tokens.subList(2, tokens.size());
            if (values.isEmpty()) {
                error(line, tokens.get(1).end() + 1, "missing value after '" + key.text() + " ='");
                return new Node.Bad(line);
            }
            for (Token t : values) {
                if (t.is("}") || t.is("{")) {
                    error(line, t.column(), "unexpected '" + t.text() + "' after a value: " + CLOSE_HINT);
                    return new Node.Bad(line);
                }
            }
            return new Node.Directive(line, key, List.copyOf(values));
        }

        private Node readBlock(SourceLine line, List<Token> tokens, int depth) {
            Token kind = tokens.get(0);
            Token name = tokens.size() >= 2 && !tokens.get(1).is("{") ? tokens.get(1) : null;
            if (depth >= MAX_NESTING) {
                return readTooDeep(line, kind, name);
            }
            boolean braceLast = tokens.get(tokens.size() - 1).is("{");
            if (!isBlockKind(kind)) {
                error(line, kind.column(), "unknown block '" + kind.text() + "': blocks are virtual, failover, track, vip_group (top level) and server (inside virtual and failover)");
            } else if (name == null) {
                error(line, kind.column() + kind.text().length(), "missing name: write '" + kind.text() + " NAME {'");
            } else if (!braceLast) {
                if (name.text().endsWith("{") && tokens.size() == 2) {
                    error(line, name.end(), "put a blank before '{': write '" + kind.text() + " "
                            + name.text().substring(0, name.text().length() - 1) + " {'");
                    name = new Token(name.text().substring(0, name.text().length() - 1), name.start(), name.end() - 1, name.quote());
                } else if (tokens.size() == 2 && nextIsLoneBrace()) {
                    error(line, name.end() + 1, "'{' must be on the same line as '" + kind.text() + " " + name.text() + "'");
                    next++;
                } else {
                    error(line, name.end() + 1, "expected '{' after '" + kind.text() + " " + name.text() + "'");
                }
            } else if (tokens.size() > 3) {
                error(line, tokens.get(2).column(), "a block name cannot contain blanks: write '" + kind.text() + " NAME {' with one word as NAME");
            }
            if (isBlockKind(kind)) {
                boolean server = kind.is("server");
                if (server && depth != 1) {
                    error(line, kind.column(), depth == 0
                            ? "server block outside a virtual or failover block"
                            : "server block inside another server block");
                } else if (!server && depth != 0) {
                    error(line, kind.column(), kind.text() + " block inside another block: close the enclosing block first");
                }
            }
            List<Node> children = new ArrayList<>();
            while (next < lines.size()) {
                SourceLine l = lines.get(next++);
                Tokenizer.Result r = Tokenizer.tokenize(l.text());
                if (!r.ok()) {
                    error(l, r.unterminatedQuoteColumn(), "unterminated quote: the string has no closing quote on this line");
                    children.add(new Node.Bad(l));
                } else if (r.tokens().isEmpty()) {
                    children.add(new Node.Trivia(l));
                } else if (r.tokens().get(0).is("}")) {
                    if (r.tokens().size() > 1) {
                        error(l, r.tokens().get(1).column(), "nothing may follow '}' on its line");
                    }
                    return new Node.Block(line, kind, name, children, l);
                } else if (endsWithBrace(r.tokens())) {
                    error(l, r.tokens().get(r.tokens().size() - 1).column(), CLOSE_HINT);
                    return new Node.Block(line, kind, name, children, l);
                } else {
                    children.add(readLine(l, r.tokens(), depth + 1));
                }
            }
            diagnostics.add(new Diagnostic(file, line.number(), kind.column(), Severity.WARNING, null,
                    kind.text() + " block '" + (name == null ? "" : name.text()) + "' is not closed before the end of the file"));
            return new Node.Block(line, kind, name, children, null);
        }

        /**
         * A block nested too deep: one finding at its header, and its lines, up to the '}' that
         * closes it by counting braces, kept as lines that mean nothing.
         */
        private Node readTooDeep(SourceLine line, Token kind, Token name) {
            error(line, kind.column(), TOO_DEEP);
            List<Node> children = new ArrayList<>();
            int open = 1;
            while (next < lines.size()) {
                SourceLine l = lines.get(next++);
                Tokenizer.Result r = Tokenizer.tokenize(l.text());
                if (r.ok() && r.tokens().isEmpty()) {
                    children.add(new Node.Trivia(l));
                    continue;
                }
                if (r.ok()) {
                    List<Token> t = r.tokens();
                    if (t.get(0).is("}") || endsWithBrace(t)) {
                        open--;
                    } else if (t.get(t.size() - 1).is("{")) {
                        open++;
                    }
                    if (open == 0) {
                        return new Node.Block(line, kind, name, children, l);
                    }
                }
                children.add(new Node.Bad(l));
            }
            return new Node.Block(line, kind, name, children, null);
        }

        private static boolean endsWithBrace(List<Token> tokens) {
            return tokens.size() > 1 && tokens.get(tokens.size() - 1).is("}") && tokens.get(1).is("=");
        }

        private boolean nextIsLoneBrace() {
            if (next >= lines.size()) {
                return false;
            }
            Tokenizer.Result r = Tokenizer.tokenize(lines.get(next).text());
            return r.ok() && r.tokens().size() == 1 && r.tokens().get(0).is("{");
        }

        private static boolean isBlockKind(Token t) {
            return t.is("virtual") || t.is("failover") || t.is("track") || t.is("vip_group") || t.is("server");
        }

        private void error(SourceLine line, int column, String message) {
            diagnostics.add(new Diagnostic(file, line.number(), column, Severity.ERROR, null, message));
        }
    }
}
