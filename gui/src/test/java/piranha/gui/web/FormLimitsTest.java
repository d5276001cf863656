package piranha.gui.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import piranha.gui.config.FormEdit;

/**
 * What a hostile review typed: values too long for a field, characters the file's encoding cannot
 * hold, and an lvs.cf replaced behind the GUI's back by one no lvs.cf can be. Each gets a message
 * saying what is wrong, next to its field when it has one, and lvs.cf is left as it was.
 */
class FormLimitsTest {
    @TempDir
    static Path dir;
    static TestGui gui;
    static TestGui.Client client;

    @BeforeAll
    static void start() throws Exception {
        gui = new TestGui(dir);
        client = gui.client().login();
    }

    @AfterAll
    static void stop() {
        gui.close();
    }

    /** The message next to a field, unescaped; null when there is none. */
    static String fieldError(String page, String key) {
        Matcher m = Pattern.compile("id=\"error-" + key + "\">([^<]*)</span>").matcher(page);
        return !m.find() ? null : m.group(1).replace("&#39;", "'").replace("&quot;", "\"").replace("&lt;", "<")
                .replace("&gt;", ">").replace("&amp;", "&");
    }

    @Test
    void aValueOverTheLimitIsRefusedNextToItsField() throws Exception {
        byte[] before = Files.readAllBytes(gui.lvsCf);
        for (int length : new int[] {FormEdit.MAX_VALUE + 1, 70_000, 600_000}) {
            HttpResponse<String> r = client.submit("/virtual/0/scripts", Map.of("send", "x".repeat(length)));
            assertThat(r.statusCode()).isEqualTo(422);
            assertThat(fieldError(r.body(), "send"))
                    .isEqualTo(String.format("%,d characters is too long: a value may have at most 65,536", length));
            assertThat(Files.readAllBytes(gui.lvsCf)).isEqualTo(before);
        }
        HttpResponse<String> ok = client.submit("/virtual/0/scripts", Map.of("send", "y".repeat(FormEdit.MAX_VALUE)));
        assertThat(ok.statusCode()).isEqualTo(303);
        assertThat(gui.lvsCfText()).contains("send = \"" + "y".repeat(FormEdit.MAX_VALUE) + "\"");
    }

    @Test
    void aFormLargerThanTheBodyLimitIsAnsweredInWords() throws Exception {
        byte[] before = Files.readAllBytes(gui.lvsCf);
        HttpResponse<String> r = client.submit("/virtual/0/scripts", Map.of("send", "x".repeat(GuiServer.MAX_BODY + 1)));
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(r.body()).isEqualTo("the form is larger than 1 MiB and was not read; nothing was saved (413)\n");
        assertThat(Files.readAllBytes(gui.lvsCf)).isEqualTo(before);
    }

    /** The review saved "€uro ✓ 日本" into a file with a Latin-1 byte: it answered "Saved" and wrote "?uro ? ??". */
    @Test
    void aCharacterTheFileCannotHoldIsRefusedNextToItsFieldNotWrittenAsAQuestionMark() throws Exception {
        byte[] latin1 = ("# Caf\u00e9 Nord\n" + TestGui.DEMO).getBytes(StandardCharsets.ISO_8859_1);
        Files.write(gui.lvsCf, latin1);
        try {
            HttpResponse<String> r = client.submit("/virtual/0/scripts", Map.of("expect", "\u20acuro \u2713 \u65e5\u672c"));
            assertThat(r.statusCode()).isEqualTo(422);
            assertThat(fieldError(r.body(), "expect")).startsWith("expect: '\u20ac' cannot be stored: this lvs.cf is not UTF-8"
                    + " (line 1 has a byte that is not), so it is kept as ISO-8859-1");
            assertThat(Files.readAllBytes(gui.lvsCf)).isEqualTo(latin1);

            HttpResponse<String> name = client.submit("/virtual/0", Map.of("name", "\u65e5\u672c"));
            assertThat(name.statusCode()).isEqualTo(422);
            assertThat(fieldError(name.body(), "name")).startsWith("name: '\u65e5' cannot be stored");
            assertThat(Files.readAllBytes(gui.lvsCf)).isEqualTo(latin1);

            // What ISO-8859-1 holds is saved, in ISO-8859-1.
            assertThat(client.submit("/virtual/0/scripts", Map.of("expect", "d\u00e9j\u00e0")).statusCode()).isEqualTo(303);
            assertThat(new String(Files.readAllBytes(gui.lvsCf), StandardCharsets.ISO_8859_1))
                    .startsWith("# Caf\u00e9 Nord\n").contains("expect = \"d\u00e9j\u00e0\"");
        } finally {
            Files.writeString(gui.lvsCf, TestGui.DEMO);
        }
    }

    /** The review's running GUI answered "request failed (500)" on a file of 3,000 nested blocks. */
    @Test
    void aFileNoLvsCfCanBeIsNamedOnEveryPageWithTheReadersLocatedError() throws Exception {
        Files.writeString(gui.lvsCf, "serial_no = 1\nprimary = 127.0.0.1\nservice = lvs\n" + "virtual a {\n".repeat(3_000));
        try {
            for (String page : new String[] {"/global", "/virtuals", "/virtual/0/scripts", "/apply"}) {
                HttpResponse<String> r = client.get(page);
                assertThat(r.statusCode()).as(page).isEqualTo(500);
                assertThat(r.body()).as(page).contains(gui.lvsCf + ":12:1: error: blocks nested more than 8 deep");
            }
        } finally {
            Files.writeString(gui.lvsCf, TestGui.DEMO);
        }
    }

    /** Found by FormFuzzTest: a form without its version failed in the template (500). */
    @Test
    void aFormWithoutItsVersionIsRefusedAsStale() throws Exception {
        byte[] before = Files.readAllBytes(gui.lvsCf);
        client.get("/global");
        HttpResponse<String> r = client.post("/global", Map.of("csrf", client.csrf(), "primary", "127.0.0.2"));
        assertThat(r.statusCode()).isEqualTo(409);
        assertThat(r.body()).contains("since this page was loaded; nothing was saved");
        assertThat(Files.readAllBytes(gui.lvsCf)).isEqualTo(before);
    }
}
