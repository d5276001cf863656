package piranha.lvscf;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

import piranha.lvscf.model.LvsConfig;
import piranha.lvscf.model.RealServer;
import piranha.lvscf.model.Section;
import piranha.lvscf.model.VirtualService;
import piranha.lvscf.syntax.Lines;
import piranha.lvscf.syntax.SourceLine;

/**
 * A re-read that keeps the unchanged blocks gives exactly the document a whole-file read gives:
 * same lines and tree, same model with the same positions, same diagnostics in the same order,
 * same bytes. Random edits of the real-world corpus and of generated files, chained (each re-read
 * is the base of the next, so what a re-read keeps for later is checked as well).
 */
class RereadProperties {
    private static final List<byte[]> CORPUS = Fixtures.all().stream()
            .map(Path::getFileName).map(Path::toString).map(Fixtures::bytes).toList();

    /** Some names resolve, so that resolved addresses are part of what must agree. */
    private static final HostResolver NAMES = name -> {
        if (!name.matches("web[0-9]")) {
            return Optional.empty();
        }
        try {
            return Optional.of((Inet4Address) InetAddress.getByAddress(new byte[] {10, 9, 0, (byte) (name.charAt(3) - '0')}));
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    };

    private static final String[] VALUES = {"1", "0", "2", "80", "0x10", "010", "-1", "rr", "wlc", "sed", "tcp", "udp",
        "192.0.2.7", "192.0.2.7 eth0:1", "192.0.2.7 eth0", "web3", "nosuchhost", "\"GET / HTTP/1.0\\r\\n\"", "'x y'",
        "\"unterminated", "a b c", "}", "{", "#c", "1 # note", "255.255.255.0", "nat", "direct", "tunnel", ""};
    private static final String[] LINES = {"", "# a comment", "   ", "\t# tabbed", "}", "{", "virtual extra {",
        "server extra {", "  server s9 {", "weight = 3", "     active = 1", "port = 8080", "address = 192.0.2.9",
        "     address = 192.0.2.10 eth0:2", "timeout = 0", "bogus_key = 1", "Active = 1", "serial_no = 7",
        "backup_active = 1", "backup = 198.51.100.2", "network = direct", "key=value", "send = \"open",
        "failover f1 {", "fwmark = 3", "scheduler = nq", "persistent = 30", "pmask = 255.255.255.0",
        "heartbeat = 1", "virtual dup {", "sorry_server = 192.0.2.99"};

    @Property(tries = 2000)
    void corpusEditsRereadAsAWholeFileRead(@ForAll long seed) {
        Random r = new Random(seed);
        byte[] base = CORPUS.get(r.nextInt(CORPUS.size()));
        chain(r.nextBoolean() ? base : Fixtures.toCrlf(base), r);
    }

    @Property(tries = 1000)
    void generatedFileEditsRereadAsAWholeFileRead(@ForAll long seed) {
        Random r = new Random(seed);
        chain(generate(r).getBytes(StandardCharsets.UTF_8), r);
    }

    /** A file as lvsd's users write them: globals, then services of real servers, some comments. */
    static String generate(Random r) {
        String eol = r.nextInt(4) == 0 ? "\r\n" : "\n";
        StringBuilder sb = new StringBuilder("serial_no = " + r.nextInt(100) + eol + "primary = 198.51.100.11" + eol
                + "service = lvs" + eol + "network = " + (r.nextBoolean() ? "nat" : "direct") + eol);
        if (r.nextBoolean()) {
            sb.append("backup_active = 1").append(eol).append("backup = 198.51.100.12").append(eol);
        }
        for (int v = r.nextInt(12); v > 0; v--) {
            if (r.nextInt(4) == 0) {
                sb.append("# service ").append(v).append(eol);
            }
            sb.append("virtual svc").append(v).append(" {").append(eol).append("     active = ").append(r.nextInt(5) == 0 ? 0 : 1)
                    .append(eol).append("     address = 192.0.2.").append(r.nextInt(4)).append(" eth0:1").append(eol)
                    .append("     port = ").append(r.nextBoolean() ? "80" : "http").append(eol)
                    .append("     timeout = ").append(1 + r.nextInt(10)).append(eol);
            for (int s = r.nextInt(5); s > 0; s--) {
                sb.append("     server rs").append(s).append(" {").append(eol).append("         address = ")
                        .append(r.nextInt(3) == 0 ? "web" + r.nextInt(10) : "10.0.0." + r.nextInt(6)).append(eol)
                        .append("         active = 1").append(eol).append("         weight = ").append(r.nextInt(4)).append(eol)
                        .append("     }").append(eol);
            }
            sb.append("}").append(eol);
        }
        return sb.toString();
    }

    /** Byte-level damage: line breaks changed, quotes and braces dropped anywhere. */
    @Property(tries = 2000)
    void mutatedBytesRereadAsAWholeFileRead(@ForAll long seed) {
        Random r = new Random(seed);
        byte[] base = CORPUS.get(r.nextInt(CORPUS.size()));
        LvsCfDocument doc = LvsCfDocument.parse("edit.cf", base, NAMES);
        for (int step = 0; step < 3; step++) {
            byte[] next = MutationFuzzProperties.mutate(doc.bytes(), r);
            doc = sameAsWholeRead(doc, next);
        }
    }

    @Test
    void aLargeFileWithBlocksMovedDownKeepsEveryPosition() {
        StringBuilder sb = new StringBuilder("serial_no = 1\nprimary = 198.51.100.11\nservice = lvs\nnetwork = nat\n");
        for (int v = 0; v < 50; v++) {
            sb.append("virtual v").append(v).append(" {\n  active = 1\n  address = 192.0.2.").append(v + 1)
                    .append(" eth0:1\n  port = 80\n  weight = 1\n  server s {\n    address = 10.0.0.").append(v + 1)
                    .append("\n    active = 1\n    weight = x\n  }\n}\n");
        }
        LvsCfDocument doc = LvsCfDocument.parse("big.cf", sb.toString().getBytes(StandardCharsets.UTF_8), NAMES);
        String moved = sb.toString().replaceFirst("virtual v3 \\{\n", "virtual v3 {\n  # one more line\n");
        LvsCfDocument again = sameAsWholeRead(doc, moved.getBytes(StandardCharsets.UTF_8));
        assertThat(again.errors()).isNotEmpty();
        assertThat(again.errors().get(again.errors().size() - 1).line())
                .isEqualTo(doc.errors().get(doc.errors().size() - 1).line() + 1);
        // Unchanged blocks before the edit are taken over, not read again.
        assertThat(again.config().virtuals().get(0)).isSameAs(doc.config().virtuals().get(0));
        String weight = moved.replace("address = 10.0.0.40\n", "address = 10.0.0.41\n");
        LvsCfDocument third = sameAsWholeRead(again, weight.getBytes(StandardCharsets.UTF_8));
        assertThat(third.config().virtuals().get(45)).isSameAs(again.config().virtuals().get(45));
        assertThat(third.config().virtuals().get(39)).isNotSameAs(again.config().virtuals().get(39));
        // The serial number at the top and a block below: the blocks between are taken over too.
        String both = weight.replace("serial_no = 1\n", "serial_no = 2\n").replace("address = 10.0.0.30\n", "address = 10.0.0.31\n");
        LvsCfDocument fourth = sameAsWholeRead(third, both.getBytes(StandardCharsets.UTF_8));
        assertThat(fourth.config().virtuals().get(10)).isSameAs(third.config().virtuals().get(10));
        assertThat(fourth.config().virtuals().get(29)).isNotSameAs(third.config().virtuals().get(29));
        // A removed block: the ones after it are moved up, and still not read again as text.
        String removed = both.replaceFirst("virtual v20 \\{\n(.*\n){9}\\}\n", "");
        LvsCfDocument fifth = sameAsWholeRead(fourth, removed.getBytes(StandardCharsets.UTF_8));
        assertThat(fifth.config().virtuals()).hasSize(49);
        assertThat(fifth.config().virtuals().get(19)).isSameAs(fourth.config().virtuals().get(19));
    }

    private static void chain(byte[] base, Random r) {
        LvsCfDocument doc = LvsCfDocument.parse("edit.cf", base, NAMES);
        for (int step = 0; step < 1 + r.nextInt(4); step++) {
            String text = edit(doc.text(), r);
            for (int more = r.nextInt(3); more > 0; more--) {
                text = edit(text, r); // several places at once: the serial number and a block, say
            }
            doc = sameAsWholeRead(doc, text.getBytes(StandardCharsets.UTF_8));
        }
    }

    private static LvsCfDocument sameAsWholeRead(LvsCfDocument before, byte[] after) {
        LvsCfDocument whole = LvsCfDocument.parse(before.file(), after, NAMES);
        LvsCfDocument reread = before.reread(after);
        String why = new String(after, StandardCharsets.ISO_8859_1);
        assertThat(reread.syntax().lines()).as(why).isEqualTo(whole.syntax().lines());
        assertThat(reread.syntax().nodes()).as(why).isEqualTo(whole.syntax().nodes());
        assertThat(reread.syntax().diagnostics()).as(why).isEqualTo(whole.syntax().diagnostics());
        assertThat(reread.diagnostics()).as(why).isEqualTo(whole.diagnostics());
        assertThat(reread.config()).as(why).isEqualTo(whole.config());
        assertThat(positions(reread.config())).as(why).isEqualTo(positions(whole.config()));
        assertThat(reread.bytes()).isEqualTo(after);
        assertThat(reread.text()).isEqualTo(whole.text());
        return reread;
    }

    /** Every position the model holds, which model equality leaves out. */
    private static List<String> positions(LvsConfig c) {
        List<String> out = new ArrayList<>();
        section(out, "globals", c.globals());
        List<VirtualService> all = new ArrayList<>(c.virtuals());
        all.addAll(c.failovers());
        for (VirtualService v : all) {
            out.add(v.kind() + " " + v.name() + " @" + v.header());
            section(out, v.name(), v);
            for (RealServer s : v.servers()) {
                out.add("server " + s.name() + " @" + s.header());
                section(out, v.name() + "/" + s.name(), s);
            }
        }
        return out;
    }

    private static void section(List<String> out, String where, Section s) {
        s.explicitValues().keySet().stream().sorted().forEach(k -> out.add(where + "." + k + " @" + s.position(k)));
    }

    /** One random edit of the kind people make, at line level. */
    static String edit(String text, Random r) {
        List<SourceLine> src = Lines.split(text);
        List<String> lines = new ArrayList<>();
        for (SourceLine l : src) {
            lines.add(l.raw());
        }
        String eol = Lines.dominantEol(src);
        int n = lines.size();
        switch (r.nextInt(8)) {
            case 0 -> { // change a value
                List<Integer> directives = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    if (lines.get(i).contains(" = ")) {
                        directives.add(i);
                    }
                }
                if (!directives.isEmpty()) {
                    int i = directives.get(r.nextInt(directives.size()));
                    String l = lines.get(i);
                    int eq = l.indexOf(" = ");
                    lines.set(i, l.substring(0, eq + 3) + VALUES[r.nextInt(VALUES.length)] + terminator(l));
                }
            }
            case 1 -> { // add a block
                String name = "added" + r.nextInt(100);
                String block = "virtual " + name + " {" + eol + "     active = 1" + eol + "     address = 192.0.2." + r.nextInt(255)
                        + " eth0:1" + eol + "     port = " + VALUES[r.nextInt(5)] + eol + "     server " + name + "s {" + eol
                        + "         address = " + (r.nextBoolean() ? "web" + r.nextInt(10) : "192.0.2.1") + eol
                        + "         active = 1" + eol + "     }" + eol + "}" + eol;
                lines.add(r.nextInt(n + 1), block);
            }
            case 2 -> { // remove a block: from a header to the next line that closes one
                List<Integer> headers = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    if (lines.get(i).strip().endsWith("{")) {
                        headers.add(i);
                    }
                }
                if (!headers.isEmpty()) {
                    int from = headers.get(r.nextInt(headers.size()));
                    int to = from + 1;
                    while (to < n && !lines.get(to).strip().equals("}")) {
                        to++;
                    }
                    lines.subList(from, Math.min(n, to + 1)).clear();
                }
            }
            case 3 -> { // add lines
                int at = r.nextInt(n + 1);
                for (int k = 1 + r.nextInt(3); k > 0; k--) {
                    lines.add(at, LINES[r.nextInt(LINES.length)] + eol);
                }
            }
            case 4 -> { // remove lines
                if (n > 0) {
                    int at = r.nextInt(n);
                    lines.subList(at, Math.min(n, at + 1 + r.nextInt(3))).clear();
                }
            }
            case 5 -> { // change the line count near the top, before later blocks
                lines.add(Math.min(n, r.nextInt(3)), r.nextBoolean() ? eol : "# moved" + eol);
            }
            case 6 -> { // an error inside a block
                if (n > 0) {
                    int at = r.nextInt(n);
                    lines.set(at, lines.get(at).replaceFirst("=", r.nextBoolean() ? "= \"" : "=="));
                }
            }
            default -> { // line breaks: one line's ending changed, or the last one dropped
                if (n > 0) {
                    int at = r.nextInt(n);
                    String l = lines.get(at);
                    String body = l.substring(0, l.length() - terminator(l).length());
                    String[] ends = {"\n", "\r\n", "\r", ""};
                    lines.set(at, body + ends[r.nextInt(ends.length)]);
                }
            }
        }
        return String.join("", lines);
    }

    private static String terminator(String raw) {
        if (raw.endsWith("\r\n")) {
            return "\r\n";
        }
        return raw.endsWith("\n") ? "\n" : raw.endsWith("\r") ? "\r" : "";
    }
}
