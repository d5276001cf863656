package piranha.gui.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The style sheet, script and charting library: local, small, versioned URLs cached for good, revalidated by ETag. */
class StaticAssetsTest {
    @TempDir
    Path dir;
    TestGui gui;

    @AfterEach
    void stop() {
        if (gui != null) {
            gui.close();
        }
    }

    @Test
    void assetsAreLocalSmallAndCacheable() throws Exception {
        gui = new TestGui(dir).withDaemons();
        TestGui.Client c = gui.client().login();
        String page = c.get("/control").body();
        for (String name : new String[] {"style.css", "app.js", "uPlot.iife.min.js", "uPlot.min.css"}) {
            Matcher m = Pattern.compile("/static/" + Pattern.quote(name) + "\\?v=([0-9a-f]{16})").matcher(page);
            assertThat(m.find()).as(name + " linked with its version").isTrue();
            String versioned = m.group();
            HttpResponse<String> r = c.get(versioned);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body().length()).as(name + " size").isLessThan(64 * 1024);
            assertThat(r.headers().firstValue("Cache-Control")).hasValue("private, max-age=31536000, immutable");
            String etag = r.headers().firstValue("ETag").orElseThrow();
            assertThat(etag).isEqualTo("\"" + m.group(1) + "\"");
            // Without the version: revalidated every time, 304 while unchanged.
            HttpResponse<String> plain = c.get("/static/" + name);
            assertThat(plain.headers().firstValue("Cache-Control")).hasValue("private, no-cache");
            HttpResponse<String> again = c.send(HttpRequest.newBuilder(URI.create(gui.url("/static/" + name)))
                    .header("If-None-Match", etag).GET());
            assertThat(again.statusCode()).isEqualTo(304);
            assertThat(again.body()).isEmpty();
        }
        // nothing from another host on any page
        assertThat(page).doesNotContain("src=\"http").doesNotContain("href=\"http");
        assertThat(c.get("/static/nothing.js").statusCode()).isEqualTo(404);
    }
}
