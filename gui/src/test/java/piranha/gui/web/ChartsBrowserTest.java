package piranha.gui.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import piranha.gui.testing.HeadlessChromium;

/**
 * The live charts of CONTROL/MONITORING in headless Chromium against a real lvsd (user-space data
 * plane) with two loopback real servers: traffic sent through the virtual address shows on the
 * connections/s and bytes/s charts within one refresh of the page (auto update every second), drawn
 * on the charts' canvases, and each real server has its latency series and health strip.
 */
class ChartsBrowserTest {
    static final String VIP = "127.0.0.52";

    @TempDir
    Path dir;
    TestGui gui;
    LvsdProcess lvsd;
    ChromeDriver driver;
    final List<BrowserTest.LoopbackServer> realServers = new ArrayList<>();
    int vport;

    @AfterEach
    void stop() throws Exception {
        try {
            if (driver != null) {
                driver.quit();
            }
        } finally {
            try {
                if (lvsd != null) {
                    lvsd.close();
                }
            } finally {
                if (gui != null) {
                    gui.close();
                }
                for (BrowserTest.LoopbackServer s : realServers) {
                    s.close();
                }
            }
        }
    }

    /** One HTTP request through the virtual address: the answering real server's name. */
    String throughVip() throws IOException {
        try (Socket c = new Socket()) {
            c.connect(new InetSocketAddress(VIP, vport), 5000);
            c.setSoTimeout(5000);
            c.getOutputStream().write("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            String reply = new String(c.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            return reply.substring(reply.indexOf("\r\n\r\n") + 4).strip();
        }
    }

    Object js(String script, Object... args) {
        return driver.executeScript(script, args);
    }

    @Test
    void trafficThroughTheVipShowsOnTheChartsWithinOneRefresh() throws Exception {
        for (int i = 0; i < 2; i++) {
            realServers.add(BrowserTest.LoopbackServer.start("rs" + (i + 1)));
        }
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(new InetSocketAddress(VIP, 0));
            vport = probe.getLocalPort();
        }
        String cf = "serial_no = 3\nprimary = 127.0.0.1\nservice = lvs\nbackend = userspace\nnetwork = direct\n"
                + "virtual web {\n active = 1\n address = " + VIP + " lo:52\n port = " + vport + "\n protocol = tcp\n"
                + " scheduler = rr\n send = \"GET / HTTP/1.0\\r\\n\\r\\n\"\n expect = \"HTTP\"\n timeout = 2\n reentry = 4\n"
                + " server rs1 {\n  address = 127.0.0.1\n  port = " + realServers.get(0).port + "\n  weight = 1\n  active = 1\n }\n"
                + " server rs2 {\n  address = 127.0.0.1\n  port = " + realServers.get(1).port + "\n  weight = 1\n  active = 1\n }\n}\n";
        gui = new TestGui(dir, Duration.ofMinutes(15), null, null, cf);
        lvsd = LvsdProcess.start(gui.lvsCf, gui.lvsdSocket(), dir.resolve("lvsd.out"));
        // the table is programmed once each real server has had its first check
        BrowserTest.eventually(Duration.ofSeconds(30), () -> assertThat(List.of(throughVip(), throughVip())).contains("rs1", "rs2"));

        driver = HeadlessChromium.start(dir.resolve("chromium"), 1280, 1000, Path.of("target", "chromedriver-charts.log"));
        driver.get(gui.url("/login"));
        driver.findElement(By.id("password")).sendKeys(TestGui.PASSWORD);
        driver.findElement(By.id("login")).click();
        new WebDriverWait(driver, Duration.ofSeconds(15)).until(d -> d.findElements(By.id("live")).size() > 0);
        driver.get(gui.url("/control?refresh=1&auto=on"));
        WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(30));
        // Count the page's live updates, and note after which one each rendering of the charts came.
        js("window.updates = 0; window.renders = [];"
                + "document.addEventListener('status-updated', function () { window.updates++; });"
                + "document.addEventListener('charts-updated', function () {"
                + "  var c = window.piranhaCharts.data.conns; var last = null;"
                + "  for (var i = c.length - 1; i >= 0; i--) { if (c[i] != null) { last = c[i]; break; } }"
                + "  window.renders.push({update: window.updates, conns: last}); });");
        wait.until(d -> ((Number) js("return window.updates;")).intValue() >= 3);
        assertThat(new Select(driver.findElement(By.id("chart-service"))).getFirstSelectedOption().getText()).isEqualTo("web");
        // quiet before the traffic: the health checks open no connection through the data plane
        wait.until(d -> lastConns() instanceof Number n && n.doubleValue() == 0);

        for (int i = 0; i < 40; i++) {
            throughVip();
        }
        long after = ((Number) js("return window.updates;")).longValue();
        wait.until(d -> lastConns() instanceof Number n && n.doubleValue() > 0);
        // within one refresh: the first or second update after the traffic (the first may have been fetched during it)
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> renders = (List<Map<String, Object>>) js("return window.renders;");
        Map<String, Object> first = renders.stream().filter(r -> r.get("conns") instanceof Number n && n.doubleValue() > 0)
                .findFirst().orElseThrow();
        assertThat(((Number) first.get("update")).longValue()).as("the live update that first showed the traffic").isLessThanOrEqualTo(after + 2);

        // the figures in words and on the canvases
        assertThat(driver.findElement(By.id("chart-now")).getText()).startsWith("web now: ").contains("connections/s").contains("/s in");
        for (String chart : List.of("chart-conns", "chart-bytes", "chart-latency")) {
            Object drawn = js("var c = document.querySelector('#' + arguments[0] + ' canvas'); if (!c) return -1;"
                    + "var d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data, n = 0;"
                    + "for (var i = 3; i < d.length; i += 4) { if (d[i] !== 0) n++; } return n;", chart);
            assertThat(((Number) drawn).longValue()).as(chart + " painted pixels").isGreaterThan(100);
        }
        Object bytesIn = js("var a = window.piranhaCharts.data.bytesIn; return a.filter(function (v) { return v > 0; }).length;");
        assertThat(((Number) bytesIn).intValue()).as("bytes in per second shown").isPositive();
        @SuppressWarnings("unchecked")
        List<String> legend = (List<String>) js("return Array.prototype.map.call(document.querySelectorAll('#chart-latency .u-legend th'),"
                + " function (e) { return e.textContent; });");
        assertThat(String.join(" ", legend)).contains("rs1 127.0.0.1:" + realServers.get(0).port).contains("rs2 127.0.0.1:" + realServers.get(1).port);
        assertThat(driver.findElement(By.id("chart-health")).getText()).contains("rs1 127.0.0.1:" + realServers.get(0).port + ": ▲ up");
        assertThat(driver.findElements(By.cssSelector("#chart-health svg rect.h-up"))).isNotEmpty();
        Files.createDirectories(BrowserTest.SHOTS);
        Files.write(BrowserTest.SHOTS.resolve("charts.png"), driver.getScreenshotAs(OutputType.BYTES));

        // a longer range is the same series, served again
        new Select(driver.findElement(By.id("chart-range"))).selectByValue("86400");
        wait.until(d -> Long.valueOf(86400).equals(js("return window.piranhaCharts.data.range;")));
        assertThat(lastConns()).isNotNull();
    }

    private Object lastConns() {
        return js("var d = window.piranhaCharts && window.piranhaCharts.data; if (!d) return null;"
                + "for (var i = d.conns.length - 1; i >= 0; i--) { if (d.conns[i] != null) return d.conns[i]; } return null;");
    }
}
