package piranha.lvscf;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import piranha.lvscf.syntax.Node;
import piranha.lvscf.syntax.SourceLine;
import piranha.lvscf.syntax.SyntaxTree;

/**
 * Reads a file again, reading only the top-level nodes (global lines, comments, whole
 * {@code virtual} blocks) whose bytes changed since an earlier document of it.
 *
 * <p>The new file is walked from the top. Where an old node's bytes stand unchanged at the
 * current line, covering whole lines, that node is the new node, and its bytes are neither split
 * nor decoded again: reading a top-level node depends on nothing but its own lines (the reader has no state
 * between top-level nodes but the line it is at, and a block reads to its closing brace), except
 * that a block left open runs to the end of the file, so such a block is taken over only when it
 * still ends there. Elsewhere the ordinary reader reads one node and the walk goes on. The next old
 * node is tried first; an old node further on is found by its first line's text, so lines added or
 * removed anywhere, edits at both ends (the serial number at the top, a server below), and removed
 * blocks all leave the other blocks taken over. The result is the whole-file result.
 */
final class Reread {
    /** Old nodes further on tried at one line, at most: enough for blocks that share a header. */
    private static final int CANDIDATES = 4;

    private final String file;
    private final LvsCfDocument old;
    private final byte[] ob;
    private final int[] os;
    private final byte[] nb;
    private final List<Outline.Part> oldParts;
    private final int[] first;
    private final int[] size;
    private final NewLines lines;
    private Map<String, int[]> byFirstLine;
    /** The last {@link #match} asked for: at which line, after which old node, and its answer. */
    private int askedAt = -1;
    private int askedAfter = -1;
    private int answer = -1;

    private Reread(String file, LvsCfDocument old, byte[] nb) {
        this.file = file;
        this.old = old;
        this.ob = old.source().bytes(old);
        this.os = old.source().lineStarts(old);
        this.nb = nb;
        this.oldParts = old.outline().parts();
        int count = oldParts.size();
        this.first = new int[count];
        this.size = new int[count];
        for (int i = 0; i < count; i++) {
            first[i] = SyntaxTree.firstLine(oldParts.get(i).node());
        }
        for (int i = 0; i < count; i++) {
            size[i] = (i + 1 < count ? first[i + 1] : os.length) - first[i];
        }
        this.lines = new NewLines(nb, os.length + 16);
    }

    static LvsCfDocument reread(String file, LvsCfDocument old, byte[] nb) {
        if (!file.equals(old.file()) || old.charset() != StandardCharsets.UTF_8 || nb.length == 0
                || !old.source().exact(old) || old.source().bytes(old).length == 0) {
            return LvsCfDocument.parseOwned(file, nb, old.resolver());
        }
        if (Arrays.equals(old.source().bytes(old), nb)) {
            return old;
        }
        try {
            return new Reread(file, old, nb).read();
        } catch (NotUtf8 e) {
            return LvsCfDocument.parseOwned(file, nb, old.resolver());
        }
    }

    private LvsCfDocument read() {
        Interpreter interpreter = new Interpreter(file, old.resolver());
        List<Outline.Part> parts = new ArrayList<>(oldParts.size() + 8);
        int at = 0;
        int next = 0;
        while (at < lines.size()) {
            int k = match(at, next);
            if (k >= 0) {
                parts.add(takeOver(k, at, interpreter));
                at += size[k];
                next = k + 1;
                continue;
            }
            int from = at;
            int after = next;
            SyntaxTree.Fragment read = SyntaxTree.read(file, lines, from, l -> l > from && match(l, after) >= 0);
            parts.addAll(Outline.parts(read.nodes(), read.diagnostics(), interpreter));
            at = read.end();
        }
        return Outline.document(file, lines.all(), parts, false, old.resolver(), StandardCharsets.UTF_8,
                old.outline().checked(), new Outline.Source(nb, lines.starts()));
    }

    /** The old node, at or after {@code next}, that stands unchanged at new line {@code at}; -1 if none. */
    private int match(int at, int next) {
        if (at == askedAt && next == askedAfter) {
            return answer;
        }
        int found = -1;
        if (next < first.length && fits(next, at)) {
            found = next;
        } else {
            int[] same = candidates().get(lines.get(at).text());
            if (same != null) {
                int i = Arrays.binarySearch(same, next + 1);
                for (int c = i >= 0 ? i : -i - 1, tried = 0; c < same.length && tried < CANDIDATES; c++, tried++) {
                    if (fits(same[c], at)) {
                        found = same[c];
                        break;
                    }
                }
            }
        }
        askedAt = at;
        askedAfter = next;
        answer = found;
        return found;
    }

    /**
     * Whether old node {@code k}'s bytes stand at new line {@code at} and end where a line ends
     * (a last CR not followed by LF, the end of the file where the old node ended it), so that
     * they are the same whole lines and read as the same node.
     */
    private boolean fits(int k, int at) {
        int oFrom = os[first[k]];
        int oTo = first[k] + size[k] < os.length ? os[first[k] + size[k]] : ob.length;
        int nFrom = lines.start(at);
        int nTo = nFrom + oTo - oFrom;
        if (nTo > nb.length || !Arrays.equals(ob, oFrom, oTo, nb, nFrom, nTo)) {
            return false;
        }
        byte last = ob[oTo - 1];
        boolean open = oldParts.get(k).node() instanceof Node.Block b && b.close() == null;
        if (open || last != '\n' && last != '\r') {
            return nTo == nb.length;
        }
        return last == '\n' || nTo == nb.length || nb[nTo] != '\n';
    }

    /** Old nodes by the text of their first line, each list in file order; built when first needed. */
    private Map<String, int[]> candidates() {
        if (byFirstLine == null) {
            Map<String, List<Integer>> m = new HashMap<>();
            List<SourceLine> oldLines = old.syntax().lines();
            for (int i = 0; i < first.length; i++) {
                m.computeIfAbsent(oldLines.get(first[i]).text(), t -> new ArrayList<>()).add(i);
            }
            byFirstLine = new HashMap<>(m.size() * 2);
            m.forEach((t, l) -> byFirstLine.put(t, l.stream().mapToInt(Integer::intValue).toArray()));
        }
        return byFirstLine;
    }

    /** Old node {@code k} as the node at new line {@code at}: as it was, or moved to its new lines. */
    private Outline.Part takeOver(int k, int at, Interpreter interpreter) {
        List<SourceLine> oldLines = old.syntax().lines();
        int delta = at - first[k];
        int shift = lines.start(at) - os[first[k]];
        for (int i = 0; i < size[k]; i++) {
            int o = first[k] + i;
            SourceLine l = oldLines.get(o);
            lines.put(at + i, delta == 0 ? l : new SourceLine(l.number() + delta, l.text(), l.eol()), os[o] + shift,
                    (o + 1 < os.length ? os[o + 1] : ob.length) + shift);
        }
        Outline.Part part = oldParts.get(k);
        if (delta == 0) {
            return part;
        }
        List<Diagnostic> moved = new ArrayList<>(part.syntax().size());
        for (Diagnostic d : part.syntax()) {
            moved.add(new Diagnostic(d.file(), d.line() + delta, d.column(), d.severity(), d.key(), d.message()));
        }
        // Meaning is read again: positions are in the model, and some messages name lines.
        return Outline.parts(List.of(move(part.node(), delta)), moved, interpreter).get(0);
    }

    /** A node of the old tree on its new lines. */
    private Node move(Node n, int delta) {
        if (n instanceof Node.Directive d) {
            return new Node.Directive(at(d.line(), delta), d.key(), d.values());
        } else if (n instanceof Node.Trivia t) {
            return new Node.Trivia(at(t.line(), delta));
        } else if (n instanceof Node.Bad b) {
            return new Node.Bad(at(b.line(), delta));
        }
        Node.Block b = (Node.Block) n;
        List<Node> children = new ArrayList<>(b.children().size());
        for (Node c : b.children()) {
            children.add(move(c, delta));
        }
        return new Node.Block(at(b.header(), delta), b.kind(), b.name(), children,
                b.close() == null ? null : at(b.close(), delta));
    }

    private SourceLine at(SourceLine old, int delta) {
        return lines.get(old.number() - 1 + delta);
    }

    /**
     * The new file's lines, found and decoded as the walk reaches them: taken-over nodes put in
     * their old lines (and where they start), the reader's lines are found by scanning for line
     * breaks. {@link #size()} is the lines found so far, plus one while bytes remain, which is
     * all a reader that goes line by line needs; so bytes in taken-over nodes are never scanned.
     */
    private static final class NewLines extends AbstractList<SourceLine> {
        private final byte[] bytes;
        private SourceLine[] lines;
        private int[] starts;
        private int known;
        /** Where line {@code known} starts. */
        private int frontier;
        private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);

        NewLines(byte[] bytes, int capacity) {
            this.bytes = bytes;
            this.lines = new SourceLine[capacity];
            this.starts = new int[capacity];
        }

        @Override
        public int size() {
            return frontier < bytes.length ? known + 1 : known;
        }

        /** Where line {@code i} starts; a line past the end starts at the end. */
        int start(int i) {
            if (i == known) {
                return frontier;
            }
            reach(i);
            return i < known ? starts[i] : bytes.length;
        }

        /** Scans until line {@code i} is found, or the bytes end. */
        private void reach(int i) {
            while (i >= known && frontier < bytes.length) {
                scan();
            }
        }

        /** Line {@code i} is {@code line}, bytes {@code start} to {@code end}: a line of a taken-over node. */
        void put(int i, SourceLine line, int start, int end) {
            grow(i + 1);
            lines[i] = line;
            starts[i] = start;
            if (i >= known) {
                known = i + 1;
                frontier = end;
            }
        }

        @Override
        public SourceLine get(int i) {
            reach(i);
            if (lines[i] == null) {
                int from = starts[i];
                int to = i + 1 < known ? starts[i + 1] : frontierOf(i);
                int text = to;
                if (text > from && bytes[text - 1] == '\n') {
                    text--;
                }
                if (text > from && bytes[text - 1] == '\r') {
                    text--;
                }
                String eol = new String(bytes, text, to - text, StandardCharsets.ISO_8859_1);
                lines[i] = new SourceLine(i + 1, decode(from, text), eol);
            }
            return lines[i];
        }

        List<SourceLine> all() {
            return Arrays.asList(Arrays.copyOf(lines, known));
        }

        int[] starts() {
            return Arrays.copyOf(starts, known);
        }

        private int frontierOf(int i) {
            return i + 1 == known ? frontier : starts[i + 1];
        }

        /** Finds the next line: it starts at the frontier and ends after its line break. */
        private void scan() {
            grow(known + 1);
            starts[known++] = frontier;
            frontier = scanEnd(frontier);
        }

        private int scanEnd(int from) {
            for (int i = from; i < bytes.length; i++) {
                byte c = bytes[i];
                if (c == '\n') {
                    return i + 1;
                } else if (c == '\r') {
                    return i + 1 < bytes.length && bytes[i + 1] == '\n' ? i + 2 : i + 1;
                }
            }
            return bytes.length;
        }

        private void grow(int n) {
            if (n > lines.length) {
                int c = Math.max(n, lines.length * 2);
                lines = Arrays.copyOf(lines, c);
                starts = Arrays.copyOf(starts, c);
            }
        }

        private String decode(int from, int to) {
            for (int i = from; i < to; i++) {
                if (bytes[i] < 0) {
                    try {
                        CharBuffer chars = utf8.reset().decode(ByteBuffer.wrap(bytes, from, to - from));
                        return chars.toString();
                    } catch (CharacterCodingException e) {
                        throw new NotUtf8();
                    }
                }
            }
            return new String(bytes, from, to - from, StandardCharsets.ISO_8859_1);
        }
    }

    /** The new bytes are not UTF-8: the whole file is read again as ISO-8859-1. */
    private static final class NotUtf8 extends RuntimeException {
        NotUtf8() {
            super(null, null, false, false);
        }
    }
}
