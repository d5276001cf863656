package piranha.lvscf;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import piranha.lvscf.syntax.Lines;
import piranha.lvscf.syntax.Node;
import piranha.lvscf.syntax.SourceLine;
import piranha.lvscf.syntax.SyntaxTree;

/**
 * Reads a file again, reading only what changed since an earlier document of it.
 *
 * <p>The new bytes are compared with the old: a common prefix and a common suffix. Old lines that
 * lie wholly inside the prefix, and old lines that begin inside the suffix, are the same lines in
 * the new file (a line break is decided by the byte before and the byte at it, and both are
 * common there). Only the bytes between them are decoded and split. Reading starts at the first
 * top-level node that is not wholly inside the kept prefix and goes on, node by node, with the
 * whole-file reader, until it reaches a line where an old node that began inside the suffix
 * begins: from there on the old nodes are the new ones, moved by the difference in line count.
 * Reading the changed run node by node from a node's start is what a whole-file read does there,
 * and the reader's state between top-level nodes is nothing but the line it is at, so the result
 * is the whole-file result.
 */
final class Reread {
    private static final int CHUNK = 4096;

    private Reread() {}

    static LvsCfDocument reread(String file, LvsCfDocument old, byte[] nb) {
        if (!file.equals(old.file()) || old.charset() != StandardCharsets.UTF_8 || nb.length == 0
                || !old.source().exact(old)) {
            return LvsCfDocument.parseOwned(file, nb, old.resolver());
        }
        byte[] ob = old.source().bytes(old);
        int[] os = old.source().lineStarts(old);
        int n0 = ob.length;
        int n1 = nb.length;
        if (n0 == 0) {
            return LvsCfDocument.parseOwned(file, nb, old.resolver());
        }
        int p = Arrays.mismatch(ob, nb);
        if (p < 0) {
            return old;
        }
        int s = commonSuffix(ob, nb, Math.min(n0, n1) - p);
        int oldLines = os.length;
        // Lines 0..m-1 end (terminator included) before byte p - 1; lines q.. start after n0 - s.
        int m = lowerBound(os, 1, oldLines, p) - 1;
        int q = lowerBound(os, 0, oldLines, n0 - s + 1);
        int shift = n1 - n0;
        int from = os[m];
        int to = q < oldLines ? os[q] + shift : n1;
        String run;
        try {
            run = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(nb, from, to - from)).toString();
        } catch (CharacterCodingException e) {
            return LvsCfDocument.parseOwned(file, nb, old.resolver());
        }
        List<SourceLine> fresh = Lines.split(run, m + 1);
        int delta = m + fresh.size() - q;

        List<SourceLine> oldList = old.syntax().lines();
        List<SourceLine> lines = new ArrayList<>(m + fresh.size() + oldLines - q);
        lines.addAll(oldList.subList(0, m));
        lines.addAll(fresh);
        if (delta == 0) {
            lines.addAll(oldList.subList(q, oldLines));
        } else {
            for (SourceLine l : oldList.subList(q, oldLines)) {
                lines.add(new SourceLine(l.number() + delta, l.text(), l.eol()));
            }
        }
        int[] runStarts = Outline.Source.lineStarts(nb, from, to);
        int[] starts = new int[lines.size()];
        System.arraycopy(os, 0, starts, 0, m);
        System.arraycopy(runStarts, 0, starts, m, runStarts.length);
        for (int i = q; i < oldLines; i++) {
            starts[i + delta] = os[i] + shift;
        }

        List<Outline.Part> oldParts = old.outline().parts();
        int count = oldParts.size();
        int[] first = new int[count];
        for (int i = 0; i < count; i++) {
            first[i] = SyntaxTree.firstLine(oldParts.get(i).node());
        }
        // Nodes before kept are wholly inside the prefix; reading starts at the next one's first line.
        int kept = Math.max(0, upperBound(first, 0, count, m) - 1);
        int start = kept < count ? first[kept] : m;
        int suffixNodes = lowerBound(first, 0, count, q);
        SyntaxTree.Fragment read = SyntaxTree.read(file, lines, start,
                at -> at - delta >= q && Arrays.binarySearch(first, suffixNodes, count, at - delta) >= 0);
        int resumed = read.end() == lines.size() ? count : Arrays.binarySearch(first, suffixNodes, count, read.end() - delta);

        Interpreter interpreter = new Interpreter(file, old.resolver());
        List<Outline.Part> parts = new ArrayList<>(kept + read.nodes().size() + count - resumed);
        parts.addAll(oldParts.subList(0, kept));
        parts.addAll(Outline.parts(read.nodes(), read.diagnostics(), interpreter));
        if (delta == 0) {
            parts.addAll(oldParts.subList(resumed, count));
        } else {
            List<Node> moved = new ArrayList<>(count - resumed);
            List<Diagnostic> movedSyntax = new ArrayList<>();
            for (Outline.Part part : oldParts.subList(resumed, count)) {
                moved.add(move(part.node(), lines, delta));
                for (Diagnostic d : part.syntax()) {
                    movedSyntax.add(new Diagnostic(d.file(), d.line() + delta, d.column(), d.severity(), d.key(), d.message()));
                }
            }
            // Meaning is read again: positions are in the model, and some messages name lines.
            parts.addAll(Outline.parts(moved, movedSyntax, interpreter));
        }
        return Outline.document(file, lines, parts, false, old.resolver(), StandardCharsets.UTF_8,
                old.outline().checked(), new Outline.Source(nb, starts));
    }

    /** A node of the old tree on its new lines. */
    private static Node move(Node n, List<SourceLine> lines, int delta) {
        if (n instanceof Node.Directive d) {
            return new Node.Directive(at(lines, d.line(), delta), d.key(), d.values());
        } else if (n instanceof Node.Trivia t) {
            return new Node.Trivia(at(lines, t.line(), delta));
        } else if (n instanceof Node.Bad b) {
            return new Node.Bad(at(lines, b.line(), delta));
        }
        Node.Block b = (Node.Block) n;
        List<Node> children = new ArrayList<>(b.children().size());
        for (Node c : b.children()) {
            children.add(move(c, lines, delta));
        }
        return new Node.Block(at(lines, b.header(), delta), b.kind(), b.name(), children,
                b.close() == null ? null : at(lines, b.close(), delta));
    }

    private static SourceLine at(List<SourceLine> lines, SourceLine old, int delta) {
        return lines.get(old.number() - 1 + delta);
    }

    /** How many bytes, at most {@code max}, both arrays end with. */
    private static int commonSuffix(byte[] a, byte[] b, int max) {
        int s = 0;
        while (s + CHUNK <= max && Arrays.equals(a, a.length - s - CHUNK, a.length - s, b, b.length - s - CHUNK, b.length - s)) {
            s += CHUNK;
        }
        while (s < max && a[a.length - 1 - s] == b[b.length - 1 - s]) {
            s++;
        }
        return s;
    }

    /** The first index in {@code a[from, to)} whose value is at least {@code key} ({@code to} if none). */
    private static int lowerBound(int[] a, int from, int to, int key) {
        int lo = from;
        int hi = to;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (a[mid] < key) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** The first index in {@code a[from, to)} whose value is above {@code key} ({@code to} if none). */
    private static int upperBound(int[] a, int from, int to, int key) {
        return lowerBound(a, from, to, key + 1);
    }
}
