package piranha.gui.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import piranha.gui.config.Field;
import piranha.gui.config.Target;
import piranha.lvscf.LvsCfDocument;
import piranha.lvscf.syntax.Node;

/**
 * A newline, brace, quote or {@code #} typed into any field of any page is either refused with a
 * message next to that field (and lvs.cf left as it was) or stored so that the file reads back
 * as exactly what was typed, with no new key or block.
 */
class InjectionTest {
    static final List<String> PAYLOADS = List.of("x\nactive = 1", "x\r\nvirtual evil {", "{", "}", "x {", "} x", "\"",
            "'", "\"quoted\"", "it's", "a\"b", "a\"b'c", "#", "# note", "v # c", "x\n}\nvirtual evil {\nactive = 1",
            "a b", "{ }");

    record Page(String path, List<Field> fields, Target target) {}

    static final List<Page> PAGES = List.of(
            new Page("/global", Forms.GLOBAL_SETTINGS, new Target.Global()),
            new Page("/redundancy", Forms.REDUNDANCY, new Target.Global()),
            new Page("/virtual/0", Forms.VIRTUAL_SERVER, new Target.Virtual(0)),
            new Page("/virtual/0/scripts", Forms.MONITORING_SCRIPTS, new Target.Virtual(0)),
            new Page("/virtual/0/server/0", Forms.REAL_SERVER, new Target.Server(0, 0)));

    @TempDir
    static Path dir;
    static TestGui gui;

    @BeforeAll
    static void start() throws Exception {
        gui = new TestGui(dir);
    }

    @AfterAll
    static void stop() {
        gui.close();
    }

    /** Blocks and keys at every level: what must not change except the one value. */
    static List<String> shape(LvsCfDocument doc, String exceptKey, Target target) {
        List<String> out = new ArrayList<>();
        walk(doc.syntax().nodes(), "", out);
        return out.stream().filter(s -> !s.equals(where(target) + exceptKey)).toList();
    }

    static String where(Target t) {
        if (t instanceof Target.Virtual v) {
            return "virtual#" + v.index() + "/";
        }
        if (t instanceof Target.Server s) {
            return "virtual#" + s.virtual() + "/server#" + s.index() + "/";
        }
        return "";
    }

    static void walk(List<Node> nodes, String prefix, List<String> out) {
        int v = 0;
        int s = 0;
        for (Node n : nodes) {
            if (n instanceof Node.Directive d) {
                out.add(prefix + d.name());
            } else if (n instanceof Node.Block b) {
                String p = prefix + b.kindName() + "#" + (b.kindName().equals("server") ? s++ : v++) + "/";
                out.add(p);
                walk(b.children(), p, out);
            } else if (n instanceof Node.Bad) {
                out.add(prefix + "BAD");
            }
        }
    }

    @Test
    void everyFieldOfEveryPageHoldsOrRefusesHostileText() throws Exception {
        TestGui.Client c = gui.client().login();
        int stored = 0;
        int refused = 0;
        for (Page page : PAGES) {
            for (Field f : page.fields()) {
                for (String payload : PAYLOADS) {
                    Files.writeString(gui.lvsCf, TestGui.DEMO);
                    LvsCfDocument before = LvsCfDocument.parse("lvs.cf", TestGui.DEMO);
                    String what = page.path() + " " + f.key() + " <- " + payload.replace("\n", "\\n").replace("\r", "\\r");
                    HttpResponse<String> r = c.submit(page.path(), Map.of(f.key(), payload));
                    String text = gui.lvsCfText();
                    if (r.statusCode() == 303) {
                        LvsCfDocument after = LvsCfDocument.parse("lvs.cf", text);
                        assertThat(after.hasErrors()).as(what).isFalse();
                        String expected = f.keepsBlanks(page.target().scope()) ? payload : payload.strip();
                        assertThat(page.target().text(after, f.key())).as(what).isEqualTo(expected);
                        assertThat(shape(after, f.key(), page.target())).as(what)
                                .isEqualTo(shape(before, f.key(), page.target()));
                        stored++;
                    } else {
                        assertThat(r.statusCode()).as(what).isEqualTo(422);
                        assertThat(r.body()).as(what).contains("id=\"error-" + f.key() + "\"");
                        assertThat(text).as(what).isEqualTo(TestGui.DEMO);
                        refused++;
                    }
                }
            }
        }
        // Both outcomes happen: strings hold quotes and braces, numbers and addresses refuse them.
        assertThat(stored).isGreaterThan(20);
        assertThat(refused).isGreaterThan(200);
    }
}
