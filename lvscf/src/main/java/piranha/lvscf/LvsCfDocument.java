package piranha.lvscf;

import static piranha.lvscf.BlockLayout.blocks;
import static piranha.lvscf.BlockLayout.end;
import static piranha.lvscf.BlockLayout.indentOf;
import static piranha.lvscf.BlockLayout.memberIndent;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;

import piranha.lvscf.keys.Scope;
import piranha.lvscf.model.LvsConfig;
import piranha.lvscf.syntax.Lines;
import piranha.lvscf.syntax.Node;
import piranha.lvscf.syntax.SourceLine;
import piranha.lvscf.syntax.SyntaxTree;
import piranha.lvscf.syntax.Token;

/**
 * An lvs.cf file: its exact text, what it means, and everything wrong with it. Immutable; each
 * edit returns a new document whose text differs from this one only in the lines the edit
 * touched, so comments, blank lines, indentation, order and unknown lines survive.
 */
public final class LvsCfDocument {
    private final SyntaxTree tree;
    private final LvsConfig config;
    private final List<Diagnostic> diagnostics;
    private final HostResolver resolver;
    private final Charset charset;
    private final Outline outline;
    private final Outline.Source source;

    LvsCfDocument(SyntaxTree tree, LvsConfig config, List<Diagnostic> diagnostics, HostResolver resolver,
            Charset charset, Outline outline, Outline.Source source) {
        this.tree = tree;
        this.config = config;
        this.diagnostics = diagnostics;
        this.resolver = resolver;
        this.charset = charset;
        this.outline = outline;
        this.source = source;
    }

    /** Reads text; {@code file} names it in diagnostics. Never throws on bad content. */
    public static LvsCfDocument parse(String file, String text, HostResolver resolver) {
        return parse(file, text, resolver, StandardCharsets.UTF_8, null);
    }

    /**
     * Reads bytes: UTF-8 when they are valid UTF-8, else ISO-8859-1, so that any file, even one
     * with stray bytes, writes back byte for byte.
     */
    public static LvsCfDocument parse(String file, byte[] bytes, HostResolver resolver) {
        return parseOwned(file, bytes.clone(), resolver);
    }

    /** {@link #parse(String, byte[], HostResolver)} of bytes nobody else holds (they are kept). */
    static LvsCfDocument parseOwned(String file, byte[] bytes, HostResolver resolver) {
        try {
            String text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
            return parse(file, text, resolver, StandardCharsets.UTF_8, bytes);
        } catch (CharacterCodingException e) {
            return parse(file, new String(bytes, StandardCharsets.ISO_8859_1), resolver, StandardCharsets.ISO_8859_1, bytes);
        }
    }

    static LvsCfDocument parse(String file, String text, HostResolver resolver, Charset charset, byte[] bytes) {
        List<SourceLine> lines = Lines.split(text);
        SyntaxTree.Fragment all = SyntaxTree.read(file, lines, 0, at -> false);
        List<Outline.Part> parts = Outline.parts(all.nodes(), all.diagnostics(), new Interpreter(file, resolver));
        return Outline.document(file, lines, parts, text.isEmpty(), resolver, charset, Validator.Checked.NONE,
                new Outline.Source(bytes, null));
    }

    /**
     * The same file's new content, read again: top-level blocks whose bytes did not change are
     * taken over from this document (moved to their new lines if lines were added or removed
     * before them), and only the changed ones are read. The result is the document
     * {@link #parse(String, byte[], HostResolver)} would give for {@code bytes} with this
     * document's file name and resolver, diagnostics included; host names in unchanged blocks are
     * not resolved again.
     */
    public LvsCfDocument reread(byte[] bytes) {
        return Reread.reread(file(), this, bytes.clone());
    }

    public static LvsCfDocument parse(String file, String text) {
        return parse(file, text, HostResolver.SYSTEM);
    }

    // ------------------------------------------------------------------ what a re-read reuses

    Charset charset() {
        return charset;
    }

    HostResolver resolver() {
        return resolver;
    }

    Outline outline() {
        return outline;
    }

    Outline.Source source() {
        return source;
    }

    // ------------------------------------------------------------------ reading

    public String file() {
        return tree.file();
    }

    public String text() {
        return tree.text();
    }

    /** The file's bytes, in the encoding it was read with. */
    public byte[] bytes() {
        return source.bytes(this).clone();
    }

    public SyntaxTree syntax() {
        return tree;
    }

    /** What the file means. Meaningful as far as the file could be read; check {@link #hasErrors()}. */
    public LvsConfig config() {
        return config;
    }

    public List<Diagnostic> diagnostics() {
        return diagnostics;
    }

    public List<Diagnostic> errors() {
        return diagnostics.stream().filter(Diagnostic::isError).toList();
    }

    public boolean hasErrors() {
        return diagnostics.stream().anyMatch(Diagnostic::isError);
    }

    /** Throws unless the document is free of errors; the way to ask before applying or writing. */
    public LvsCfDocument requireValid() throws InvalidConfigException {
        if (hasErrors()) {
            throw new InvalidConfigException(errors());
        }
        return this;
    }

    // ------------------------------------------------------------------ edits

    /** Sets (or, with null, removes) a global key. */
    public LvsCfDocument withGlobal(String key, String value) {
        return edit().set(Scope.GLOBAL, tree.nodes(), null, key, value).done();
    }

    /** Sets (or, with null, removes) a key of the {@code index}-th virtual block. */
    public LvsCfDocument withVirtual(int index, String key, String value) {
        Node.Block v = virtualBlock(index);
        return edit().set(Scope.VIRTUAL, v.children(), v, key, value).done();
    }

    /** Sets (or, with null, removes) a key of a real server. */
    public LvsCfDocument withServer(int virtual, int server, String key, String value) {
        Node.Block s = serverBlock(virtual, server);
        return edit().set(Scope.SERVER, s.children(), s, key, value).done();
    }

    /** Appends an empty virtual block after the last one; it is inactive until {@code active = 1}. */
    public LvsCfDocument addVirtual(String name) {
        requireEncodable("name", ValueText.blockName(name));
        List<Node.Block> virtuals = blocks(tree.nodes(), "virtual");
        LineEditor e = edit();
        int at = virtuals.isEmpty() ? e.lines.size() : end(virtuals.get(virtuals.size() - 1));
        String indent = virtuals.isEmpty() ? "" : indentOf(virtuals.get(0).header());
        e.insert(at, indent + "virtual " + name + " {", indent + "}");
        return e.done();
    }

    public LvsCfDocument removeVirtual(int index) {
        Node.Block v = virtualBlock(index);
        LineEditor e = edit();
        e.delete(v.header().number() - 1, end(v));
        return e.done();
    }

    public LvsCfDocument renameVirtual(int index, String name) {
        return rename(virtualBlock(index), name);
    }

    /** Sets (or, with null, removes) a key of the {@code index}-th failover block ({@code service = fos}). */
    public LvsCfDocument withFailover(int index, String key, String value) {
        Node.Block f = failoverBlock(index);
        return edit().set(Scope.VIRTUAL, f.children(), f, key, value).done();
    }

    /** Appends an empty failover block after the last one (at the end without one); inactive until {@code active = 1}. */
    public LvsCfDocument addFailover(String name) {
        requireEncodable("name", ValueText.blockName(name));
        List<Node.Block> failovers = blocks(tree.nodes(), "failover");
        LineEditor e = edit();
        int at = failovers.isEmpty() ? e.lines.size() : end(failovers.get(failovers.size() - 1));
        String indent = failovers.isEmpty() ? "" : indentOf(failovers.get(0).header());
        e.insert(at, indent + "failover " + name + " {", indent + "}");
        return e.done();
    }

    public LvsCfDocument removeFailover(int index) {
        Node.Block f = failoverBlock(index);
        LineEditor e = edit();
        e.delete(f.header().number() - 1, end(f));
        return e.done();
    }

    public LvsCfDocument renameFailover(int index, String name) {
        return rename(failoverBlock(index), name);
    }

    /** Adds an empty server block after the virtual's last server (inactive until {@code active = 1}). */
    public LvsCfDocument addServer(int virtual, String name) {
        requireEncodable("name", ValueText.blockName(name));
        Node.Block v = virtualBlock(virtual);
        List<Node.Block> servers = blocks(v.children(), "server");
        LineEditor e = edit();
        String indent;
        int at;
        if (!servers.isEmpty()) {
            Node.Block last = servers.get(servers.size() - 1);
            at = end(last);
            indent = indentOf(last.header());
        } else {
            at = v.close() != null ? v.close().number() - 1 : end(v);
            indent = memberIndent(v, "     ");
        }
        e.insert(at, indent + "server " + name + " {", indent + "}");
        return e.done();
    }

    public LvsCfDocument removeServer(int virtual, int server) {
        Node.Block s = serverBlock(virtual, server);
        LineEditor e = edit();
        e.delete(s.header().number() - 1, end(s));
        return e.done();
    }

    public LvsCfDocument renameServer(int virtual, int server, String name) {
        return rename(serverBlock(virtual, server), name);
    }

    /** Adds one to {@code serial_no} (writing {@code serial_no = 1} where there was none). */
    public LvsCfDocument bumpSerial() {
        return withGlobal("serial_no", Integer.toString(config.globals().serialNo() + 1));
    }

    private LvsCfDocument rename(Node.Block b, String name) {
        requireEncodable("name", ValueText.blockName(name));
        LineEditor e = edit();
        SourceLine h = b.header();
        Token t = b.name();
        String text = t == null
                ? h.text().substring(0, b.kind().end()) + " " + name + h.text().substring(b.kind().end())
                : h.text().substring(0, t.start()) + name + h.text().substring(t.end());
        e.replace(h.number() - 1, text);
        return e.done();
    }

    private Node.Block virtualBlock(int index) {
        List<Node.Block> vs = blocks(tree.nodes(), "virtual");
        if (index < 0 || index >= vs.size()) {
            throw new IndexOutOfBoundsException("no virtual block number " + index);
        }
        return vs.get(index);
    }

    private Node.Block failoverBlock(int index) {
        List<Node.Block> fs = blocks(tree.nodes(), "failover");
        if (index < 0 || index >= fs.size()) {
            throw new IndexOutOfBoundsException("no failover block number " + index);
        }
        return fs.get(index);
    }

    private Node.Block serverBlock(int virtual, int server) {
        List<Node.Block> ss = blocks(virtualBlock(virtual).children(), "server");
        if (server < 0 || server >= ss.size()) {
            throw new IndexOutOfBoundsException("no server block number " + server);
        }
        return ss.get(server);
    }

    /** {@code text}, unless the file's encoding cannot hold it (see {@link Encodable}). */
    private String requireEncodable(String what, String text) {
        return Encodable.require(this, what, text);
    }

    private LineEditor edit() {
        return new LineEditor(this);
    }
}
