package piranha.lvscf;

import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

import piranha.lvscf.model.Globals;
import piranha.lvscf.model.LvsConfig;
import piranha.lvscf.model.Track;
import piranha.lvscf.model.VirtualService;
import piranha.lvscf.syntax.Node;
import piranha.lvscf.syntax.SourceLine;
import piranha.lvscf.syntax.SyntaxTree;

/**
 * A document as the sum of its top-level nodes: each line, or block with its servers, with the
 * findings of its own syntax and, for a service block, its meaning. A whole-file read and a
 * re-read that kept unchanged nodes both end in {@link #document}, which adds what needs the whole
 * file (the globals, the checks across services) and so cannot tell the two apart.
 */
final class Outline {

    /** One top-level node and what reading it found. {@code service} is null unless it is a service block. */
    record Part(Node node, List<Diagnostic> syntax, Interpreter.Service service) {}

    private final List<Part> parts;
    private final Validator.Checked checked;

    private Outline(List<Part> parts, Validator.Checked checked) {
        this.parts = parts;
        this.checked = checked;
    }

    List<Part> parts() {
        return parts;
    }

    Validator.Checked checked() {
        return checked;
    }

    /** The parts of nodes just read: their syntax findings sorted to them, service blocks interpreted. */
    static List<Part> parts(List<Node> nodes, List<Diagnostic> syntax, Interpreter interpreter) {
        int[] first = new int[nodes.size()];
        List<List<Diagnostic>> found = new ArrayList<>(nodes.size());
        for (int i = 0; i < first.length; i++) {
            first[i] = SyntaxTree.firstLine(nodes.get(i));
            found.add(List.of());
        }
        for (Diagnostic d : syntax) {
            int at = Arrays.binarySearch(first, d.line() - 1);
            int i = at >= 0 ? at : -at - 2;
            if (found.get(i).isEmpty()) {
                found.set(i, new ArrayList<>());
            }
            found.get(i).add(d);
        }
        List<Part> out = new ArrayList<>(nodes.size());
        for (int i = 0; i < first.length; i++) {
            Node n = nodes.get(i);
            Interpreter.Service meaning = Interpreter.isService(n) ? interpreter.service((Node.Block) n) : null;
            out.add(new Part(n, List.copyOf(found.get(i)), meaning));
        }
        return out;
    }

    /**
     * The document of these parts. {@code previous} are the per-service checks of the document
     * the parts were partly taken from ({@link Validator.Checked#NONE} for a whole-file read).
     */
    static LvsCfDocument document(String file, List<SourceLine> lines, List<Part> parts, boolean empty,
            HostResolver resolver, Charset charset, Validator.Checked previous, Source source) {
        List<Node> nodes = new ArrayList<>(parts.size());
        List<Diagnostic> syntax = new ArrayList<>();
        List<VirtualService> virtuals = new ArrayList<>();
        List<VirtualService> failovers = new ArrayList<>();
        List<Track> tracks = new ArrayList<>();
        List<piranha.lvscf.model.VipGroup> vipGroups = new ArrayList<>();
        List<Diagnostic> meaning = new ArrayList<>();
        for (Part p : parts) {
            nodes.add(p.node());
            syntax.addAll(p.syntax());
        }
        Interpreter interpreter = new Interpreter(file, resolver);
        Globals globals = interpreter.globals(nodes, meaning);
        for (Part p : parts) {
            if (p.service() != null) {
                if (p.service().service() instanceof Track t) {
                    tracks.add(t);
                } else if (p.service().service() instanceof piranha.lvscf.model.VipGroup vg) {
                    vipGroups.add(vg);
                } else {
                    VirtualService v = (VirtualService) p.service().service();
                    (v.kind().equals("virtual") ? virtuals : failovers).add(v);
                }
                meaning.addAll(p.service().diagnostics());
            }
        }
        SyntaxTree tree = SyntaxTree.of(file, lines, nodes, syntax);
        LvsConfig config = new LvsConfig(globals, virtuals, failovers, tracks, vipGroups);
        // The order before sorting matters only for findings at the same line and column, which
        // come from one node: syntax first, then meaning, then the checks across keys.
        List<Diagnostic> all = new ArrayList<>(syntax);
        all.addAll(meaning);
        Validator.Checked checked = Validator.Checked.NONE;
        if (empty) {
            all.add(new Diagnostic(file, 1, 1, Severity.ERROR, null, "the file is empty"));
        } else if (all.stream().noneMatch(Diagnostic::isError)) {
            Validator validator = new Validator(file, previous);
            all.addAll(validator.validate(config));
            checked = validator.checked(config);
        }
        all.sort(Comparator.comparingInt(Diagnostic::line).thenComparingInt(Diagnostic::column));
        return new LvsCfDocument(tree, config, List.copyOf(all), resolver, charset, new Outline(parts, checked), source);
    }

    /**
     * The bytes a document was read from and where each of its lines starts in them: what a
     * re-read compares the new bytes with. Computed when first needed for documents that were
     * not read from bytes.
     */
    static final class Source {
        private byte[] bytes;
        private int[] lineStarts;
        private boolean exact = true;

        Source(byte[] bytes, int[] lineStarts) {
            this.bytes = bytes;
            this.lineStarts = lineStarts;
        }

        synchronized byte[] bytes(LvsCfDocument doc) {
            if (bytes == null) {
                String text = doc.text();
                bytes = text.getBytes(doc.charset());
                // Text that no encoding holds (a lone surrogate) is not what its bytes say.
                exact = new String(bytes, doc.charset()).equals(text);
            }
            return bytes;
        }

        /** Whether the document's text is exactly what its bytes decode to. */
        synchronized boolean exact(LvsCfDocument doc) {
            bytes(doc);
            return exact;
        }

        synchronized int[] lineStarts(LvsCfDocument doc) {
            if (lineStarts == null) {
                byte[] b = bytes(doc);
                lineStarts = lineStarts(b, 0, b.length);
            }
            return lineStarts;
        }

        /**
         * Where the lines of {@code b[from, to)} start, split as {@link piranha.lvscf.syntax.Lines}
         * splits text: LF, CRLF and a lone CR end a line (the three bytes are never part of a
         * multi-byte UTF-8 character, so bytes and characters split alike).
         */
        static int[] lineStarts(byte[] b, int from, int to) {
            int[] starts = new int[64];
            int count = 0;
            int start = from;
            for (int i = from; i < to; i++) {
                byte c = b[i];
                if (c == '\n' || c == '\r') {
                    int next = c == '\r' && i + 1 < to && b[i + 1] == '\n' ? i + 2 : i + 1;
                    if (count == starts.length) {
                        starts = Arrays.copyOf(starts, count * 2);
                    }
                    starts[count++] = start;
                    start = next;
                    i = next - 1;
                }
            }
            if (start < to) {
                if (count == starts.length) {
                    starts = Arrays.copyOf(starts, count + 1);
                }
                starts[count++] = start;
            }
            return Arrays.copyOf(starts, count);
        }
    }
}
