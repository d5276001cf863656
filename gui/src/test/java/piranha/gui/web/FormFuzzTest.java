package piranha.gui.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import piranha.gui.config.Field;
import piranha.gui.config.FormEdit;
import piranha.lvscf.HostResolver;
import piranha.lvscf.LvsCfDocument;
import piranha.lvscf.keys.Key;
import piranha.lvscf.keys.Keys;

/**
 * Random hostile forms: control characters, quotes, braces, {@code #}, characters of every
 * Unicode plane and unpaired surrogates, values up to 70,000 characters, broken percent-escapes
 * and raw bytes that are not UTF-8, stale or missing tokens. The form handling either refuses a
 * value next to its field or stores it so that it reads back exactly, with lvs.cf still valid and
 * its shape unchanged; the server never fails. Bounded by a count and by time; the seed is in
 * every failure message (-Dfuzz.seed=N replays one).
 */
class FormFuzzTest {
    private static final long SEED = Long.getLong("fuzz.seed", System.nanoTime());
    private static final byte[] LATIN1_DEMO = ("# Caf\u00e9\n" + TestGui.DEMO).getBytes(StandardCharsets.ISO_8859_1);

    @TempDir
    Path dir;

    private static final String SPECIAL = " \t\n\r\0{}\"'#=\\%+&;";
    private static final String NUMERIC = "0123456789.: ";

    static String hostile(Random r) {
        int length = r.nextInt(200) == 0 ? 60_000 + r.nextInt(10_000) : r.nextInt(24);
        StringBuilder sb = new StringBuilder(length);
        while (sb.length() < length) {
            switch (r.nextInt(8)) {
                case 0 -> sb.append(SPECIAL.charAt(r.nextInt(SPECIAL.length())));
                case 1 -> sb.append((char) (0xA0 + r.nextInt(0x60)));
                case 2 -> sb.append((char) (0x100 + r.nextInt(0xD700)));
                case 3 -> sb.appendCodePoint(0x10000 + r.nextInt(0x100000));
                case 4 -> sb.append((char) (0xD800 + r.nextInt(0x800)));
                case 5 -> sb.append(NUMERIC.charAt(r.nextInt(NUMERIC.length())));
                default -> sb.append((char) (0x21 + r.nextInt(0x5E)));
            }
        }
        return sb.toString();
    }

    /** FormEdit on every editing page, in-process: ten thousand forms in seconds. */
    @Test
    void everyFormHoldsOrRefusesRandomHostileValues() {
        Random r = new Random(SEED);
        LvsCfDocument utf8 = LvsCfDocument.parse("lvs.cf", TestGui.DEMO, HostResolver.NUMERIC_ONLY);
        LvsCfDocument latin1 = LvsCfDocument.parse("lvs.cf", LATIN1_DEMO, HostResolver.NUMERIC_ONLY);
        int stored = 0;
        int refused = 0;
        long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        int i = 0;
        for (; i < 10_000 && System.nanoTime() - end < 0; i++) {
            LvsCfDocument doc = r.nextBoolean() ? utf8 : latin1;
            InjectionTest.Page page = InjectionTest.PAGES.get(r.nextInt(InjectionTest.PAGES.size()));
            Map<String, String> typed = new LinkedHashMap<>();
            for (int n = 1 + r.nextInt(3); n > 0; n--) {
                typed.put(page.fields().get(r.nextInt(page.fields().size())).key(), hostile(r));
            }
            String what = "seed " + SEED + " case " + i + " " + page.path() + " " + escape(typed);
            FormEdit e = FormEdit.apply(doc, page.target(), page.fields(), typed);
            if (e.hasErrors()) {
                assertThat(e.formErrors()).as(what).isEmpty();
                e.fieldErrors().forEach((k, m) -> assertThat(m).as(what).isNotBlank());
                assertThat(typed.keySet()).as(what).containsAll(e.fieldErrors().keySet());
                refused++;
                continue;
            }
            LvsCfDocument after = e.result();
            assertThat(after.hasErrors()).as(what).isFalse();
            LvsCfDocument written = LvsCfDocument.parse("lvs.cf", after.bytes(), HostResolver.NUMERIC_ONLY);
            assertThat(written.text()).as(what + ": the bytes written hold every character").isEqualTo(after.text());
            for (Field f : page.fields()) {
                String v = typed.get(f.key());
                if (v == null) {
                    continue;
                }
                String expected = f.keepsBlanks(page.target().scope()) ? v : v.strip();
                String actual = f.isName() ? page.target().name(written) : page.target().text(written, f.key());
                Key key = f.isName() ? null : Keys.lookup(page.target().scope(), f.key());
                if (key != null && key.type().arity() != 1) {
                    expected = expected.strip().replaceAll("[ \t]+", " ");
                }
                assertThat(actual).as(what + " " + f.key()).isEqualTo(expected.isEmpty() ? null : expected);
            }
            Set<String> keys = typed.keySet();
            assertThat(InjectionTest.shape(written, "", page.target()).stream().filter(s -> keys.stream().noneMatch(s::endsWith)))
                    .as(what).containsExactlyElementsOf(InjectionTest.shape(doc, "", page.target()).stream()
                            .filter(s -> keys.stream().noneMatch(s::endsWith)).toList());
            stored++;
        }
        assertThat(stored).as("seed %d", SEED).isPositive();
        assertThat(refused).as("seed %d", SEED).isPositive();
        System.out.printf("FormFuzzTest: %d forms (%d stored, %d refused), seed %d%n", i, stored, refused, SEED);
    }

    /** Found by seed 23757: "virtual = {" reads back as a key, so the block vanished mid-form. */
    @Test
    void aNameOfEqualsAloneIsRefusedNextToTheNameField() {
        LvsCfDocument doc = LvsCfDocument.parse("lvs.cf", TestGui.DEMO, HostResolver.NUMERIC_ONLY);
        Map<String, String> typed = new LinkedHashMap<>();
        typed.put(Field.NAME, "=");
        typed.put("persistent", "%");
        FormEdit e = FormEdit.apply(doc, new piranha.gui.config.Target.Virtual(0), Forms.VIRTUAL_SERVER, typed);
        assertThat(e.fieldErrors()).containsKey(Field.NAME);
        assertThat(e.fieldErrors().get(Field.NAME)).contains("'='");
    }

    private static final List<String> ROUTES = List.of("/global", "/redundancy", "/virtual/0", "/virtual/0/scripts",
            "/virtual/0/server/0", "/virtual/0/toggle", "/virtuals/add", "/virtual/0/servers/add");

    /** The real server, raw request bodies: never a failure, lvs.cf always valid, unchanged unless saved. */
    @Test
    void theServerAnswersRandomHostileFormsWithoutFailing() throws Exception {
        Random r = new Random(SEED);
        try (TestGui g = new TestGui(dir)) {
            TestGui.Client c = g.client().login();
            long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            for (int i = 0; i < 150 && System.nanoTime() - end < 0; i++) {
                if (i % 30 == 0) {
                    Files.write(g.lvsCf, r.nextBoolean() ? LATIN1_DEMO : TestGui.DEMO.getBytes(StandardCharsets.UTF_8));
                }
                String route = ROUTES.get(r.nextInt(ROUTES.size()));
                c.get(route.matches(".*/(toggle|add)$") ? "/virtuals" : route);
                byte[] body = body(r, c.csrf(), c.version());
                byte[] before = Files.readAllBytes(g.lvsCf);
                HttpResponse<String> res = c.send(HttpRequest.newBuilder(URI.create(g.url(route)))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
                String what = "seed " + SEED + " case " + i + " POST " + route + " " + escape(new String(body, 0,
                        Math.min(body.length, 300), StandardCharsets.ISO_8859_1));
                assertThat(res.statusCode()).as(what + "\n" + res.body()).isIn(303, 400, 403, 409, 413, 422);
                byte[] after = Files.readAllBytes(g.lvsCf);
                assertThat(LvsCfDocument.parse("lvs.cf", after, HostResolver.NUMERIC_ONLY).errors()).as(what).isEmpty();
                if (res.statusCode() != 303) {
                    assertThat(after).as(what).isEqualTo(before);
                }
            }
            assertThat(c.get("/global").statusCode()).isEqualTo(200);
        }
    }

    /** A form body: mostly well-formed with hostile values, sometimes broken escapes and raw bytes. */
    private static byte[] body(Random r, String csrf, String version) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Map<String, String> form = new LinkedHashMap<>();
        if (r.nextInt(20) != 0) {
            form.put("csrf", csrf);
        }
        if (r.nextInt(10) != 0) {
            form.put("version", r.nextInt(20) == 0 ? "stale" : version);
        }
        List<String> names = List.of("name", "port", "address", "send", "expect", "send_program", "primary", "keepalive",
                "weight", "active", "scheduler", "active_cmd", "blank", "csrf", "nat_router", "timeout");
        for (int n = r.nextInt(4); n > 0; n--) {
            form.put(names.get(r.nextInt(names.size())), hostile(r));
        }
        form.forEach((k, v) -> {
            if (out.size() > 0) {
                out.write('&');
            }
            out.writeBytes(URLEncoder.encode(k, StandardCharsets.UTF_8).getBytes(StandardCharsets.US_ASCII));
            out.write('=');
            out.writeBytes(URLEncoder.encode(v, StandardCharsets.UTF_8).getBytes(StandardCharsets.US_ASCII));
        });
        if (r.nextInt(4) == 0) {
            String[] broken = {"&send=%", "&send=%zz", "&expect=%C3%28", "&expect=%ED%A0%80", "&&&=", "&name",
                    "&port=%FF%FE", "&send=\u00ff\u00fe"};
            out.writeBytes(broken[r.nextInt(broken.length)].getBytes(StandardCharsets.ISO_8859_1));
        }
        return out.toByteArray();
    }

    private static String escape(Object o) {
        String s = String.valueOf(o);
        s = s.length() > 300 ? s.substring(0, 300) + "...(" + s.length() + ")" : s;
        StringBuilder sb = new StringBuilder();
        s.codePoints().forEach(cp -> sb.append(cp < 0x20 || cp >= 0x7f ? String.format("\\u{%x}", cp) : Character.toString(cp)));
        return sb.toString();
    }
}
