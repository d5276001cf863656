package piranha.gui.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.WebDriverWait;

import piranha.gui.testing.HeadlessChromium;

/**
 * Every page, as a desktop (1280 pixels) and a phone (390 pixels) show it, against a real lvsd
 * running a service with two loopback real servers: a screenshot of each in
 * {@code target/page-screenshots/}, and each fails on horizontal scrolling, on a message in the
 * browser's console at error level, on a field that should show a value and is empty, and on a
 * serious or critical violation found by axe-core (Deque's accessibility rules, run in the page).
 */
class PagesLookTest {
    static final Path SHOTS = Path.of("target", "page-screenshots");
    static final String VIP = "127.0.0.51";
    /** Each page and the fields on it that must show a value from lvs.cf or the daemons. */
    static final Map<String, List<String>> PAGES = new java.util.LinkedHashMap<>();

    static {
        PAGES.put("/control", List.of("lvsd-state", "pulse-state", "processes"));
        PAGES.put("/global", List.of("f-primary", "f-service", "f-backend"));
        PAGES.put("/redundancy", List.of("f-keepalive", "f-deadtime"));
        PAGES.put("/virtuals", List.of("virtual-0"));
        PAGES.put("/virtual/0", List.of("f-name", "f-address", "f-port", "f-scheduler"));
        PAGES.put("/virtual/0/servers", List.of("server-0", "server-1"));
        PAGES.put("/virtual/0/server/0", List.of("f-name", "f-address", "f-port", "f-weight"));
        PAGES.put("/virtual/0/scripts", List.of("f-send", "f-expect"));
        PAGES.put("/failovers", List.of("failover-0"));
        PAGES.put("/failover/0", List.of("f-name", "f-address", "f-port", "f-start_cmd"));
        PAGES.put("/apply", List.of("no-changes"));
    }

    @TempDir
    Path dir;
    TestGui gui;
    LvsdProcess lvsd;
    ChromeDriver driver;
    final List<BrowserTest.LoopbackServer> realServers = new ArrayList<>();

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

    @Test
    void everyPageFitsPhoneAndDesktopWithoutErrorsOrSeriousAccessibilityViolations() throws Exception {
        for (int i = 0; i < 2; i++) {
            realServers.add(BrowserTest.LoopbackServer.start("rs" + (i + 1)));
        }
        int vport;
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(new InetSocketAddress(VIP, 0));
            vport = probe.getLocalPort();
        }
        String cf = "serial_no = 3\nprimary = 127.0.0.1\nservice = lvs\nbackend = userspace\nkeepalive = 2\ndeadtime = 6\n"
                + "network = nat\nvirtual web {\n active = 1\n address = " + VIP + " lo:51\n port = " + vport + "\n protocol = tcp\n"
                + " scheduler = wlc\n send = \"GET / HTTP/1.0\\r\\n\\r\\n\"\n expect = \"HTTP\"\n timeout = 2\n reentry = 4\n"
                + " server rs1 {\n  address = 127.0.0.1\n  port = " + realServers.get(0).port + "\n  weight = 1\n  active = 1\n }\n"
                + " server rs2 {\n  address = 127.0.0.1\n  port = " + realServers.get(1).port + "\n  weight = 2\n  active = 1\n }\n}\n"
                // a failover block as service = fos runs it (ignored with service = lvs): the FAILOVER pages
                + "failover web2 {\n active = 0\n address = 127.0.0.52 lo:52\n port = 80\n timeout = 6\n"
                + " start_cmd = \"/usr/sbin/nginx\"\n stop_cmd = \"/usr/sbin/nginx -s stop\"\n}\n";
        gui = new TestGui(dir, Duration.ofMinutes(15), null, null, cf);
        lvsd = LvsdProcess.start(gui.lvsCf, gui.lvsdSocket(), dir.resolve("lvsd.out"));
        Files.createDirectories(SHOTS);
        driver = HeadlessChromium.start(dir.resolve("chromium"), 1280, 900, Path.of("target", "chromedriver-pages.log"));
        String axe;
        try (InputStream in = PagesLookTest.class.getResourceAsStream("/axe.min.js")) {
            axe = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        List<String> problems = new ArrayList<>();
        for (int width : new int[] {1280, 390}) {
            driver.executeCdpCommand("Emulation.setDeviceMetricsOverride",
                    Map.of("width", width, "height", width == 390 ? 844 : 900, "deviceScaleFactor", 1, "mobile", width == 390));
            driver.manage().deleteAllCookies();
            driver.get(gui.url("/login"));
            check("/login", width, List.of("password"), axe, problems);
            driver.findElement(By.id("password")).sendKeys(TestGui.PASSWORD);
            driver.findElement(By.id("login")).click();
            new WebDriverWait(driver, Duration.ofSeconds(15)).until(d -> d.findElements(By.id("live")).size() > 0);
            for (var page : PAGES.entrySet()) {
                // the live page without automatic updates: the screenshot and the checks see one state
                driver.get(gui.url(page.getKey().equals("/control") ? "/control?refresh=60" : page.getKey()));
                check(page.getKey(), width, page.getValue(), axe, problems);
            }
        }
        assertThat(problems).isEmpty();
    }

    private void check(String path, int width, List<String> filled, String axe, List<String> problems) throws IOException {
        String where = path + " at " + width + " px: ";
        new WebDriverWait(driver, Duration.ofSeconds(15)).until(d -> "complete".equals(driver.executeScript("return document.readyState")));
        String name = (path.equals("/") ? "root" : path.substring(1).replace('/', '-')) + "-" + width;
        Files.write(SHOTS.resolve(name + ".png"), driver.getScreenshotAs(OutputType.BYTES));
        long page = ((Number) driver.executeScript("return document.documentElement.scrollWidth;")).longValue();
        long window = ((Number) driver.executeScript("return window.innerWidth;")).longValue();
        if (page > window) {
            problems.add(where + "horizontal overflow: the page is " + page + " px wide in a " + window + " px window");
        }
        for (String id : filled) {
            var found = driver.findElements(By.id(id));
            if (found.isEmpty()) {
                problems.add(where + "#" + id + " is missing");
                continue;
            }
            var e = found.get(0);
            String value = e.getTagName().equals("input") || e.getTagName().equals("select") ? e.getAttribute("value") : e.getText();
            if (value == null || value.isBlank()) {
                if (!id.equals("password")) { // the login form's field is the one meant to be empty
                    problems.add(where + "#" + id + " is empty");
                }
            }
        }
        for (LogEntry l : driver.manage().logs().get(LogType.BROWSER)) {
            if (l.getLevel().intValue() >= Level.SEVERE.intValue()) {
                problems.add(where + "console: " + l.getMessage());
            }
        }
        driver.executeScript(axe);
        Object found = driver.executeAsyncScript("var done = arguments[arguments.length - 1];"
                + "axe.run(document, {resultTypes: ['violations']}).then(function (r) {"
                + " done(r.violations.filter(function (v) { return v.impact === 'serious' || v.impact === 'critical'; })"
                + "  .map(function (v) { return v.impact + ' ' + v.id + ': ' + v.help + ' at ' + v.nodes.slice(0, 3).map(function (n) { return n.target.join(' '); }).join(', '); }));"
                + "}, function (e) { done(['axe failed: ' + e]); });");
        if (found instanceof List<?> violations) {
            for (Object v : violations) {
                problems.add(where + "accessibility: " + v);
            }
        }
    }
}
