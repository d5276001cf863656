package piranha.gui.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import io.vertx.core.json.JsonObject;
import piranha.gui.testing.HeadlessChromium;

/**
 * End to end in Debian's headless Chromium, driven through its chromedriver, in a window 1280
 * pixels wide, against a real lvsd (user-space backend, its own process and control socket) with
 * no pulse (an lvsd run alone, which APPLY asks directly): configure a service from scratch, apply
 * it (lvsd reloads it), and watch a real server go red when its loopback server stops and green
 * again when it is back. The whole appliance, pulse included, is the operator journey test's
 * (module journey).
 */
class BrowserTest {
    static final int WIDTH = 1280;
    static final Path SHOTS = Path.of("target", "screenshots");
    static final String START = "serial_no = 1\nprimary = 127.0.0.1\nservice = lvs\nbackend = userspace\n";
    static final String VIP = "127.0.0.50";

    @TempDir
    Path dir;
    TestGui gui;
    LvsdProcess lvsd;
    WebDriver driver;
    final List<LoopbackServer> realServers = new ArrayList<>();
    int vport;
    int shot;

    @BeforeEach
    void start() throws Exception {
        for (int i = 0; i < 2; i++) {
            realServers.add(LoopbackServer.start("rs" + (i + 1)));
        }
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(new InetSocketAddress(VIP, 0));
            vport = probe.getLocalPort();
        }
        gui = new TestGui(dir, Duration.ofMinutes(15), null, null, START);
        lvsd = LvsdProcess.start(gui.lvsCf, gui.lvsdSocket(), dir.resolve("lvsd.out"));
        Files.createDirectories(SHOTS);
        try (var old = Files.list(SHOTS)) {
            for (Path f : old.toList()) {
                Files.delete(f);
            }
        }
        driver = HeadlessChromium.start(dir.resolve("chromium"), WIDTH, 1000, Path.of("target", "chromedriver.log"));
    }

    /** Nothing sticks out of the window: no horizontal scrolling at 1280 pixels. */
    void fitsTheWindow() {
        JavascriptExecutor js = (JavascriptExecutor) driver;
        Number page = (Number) js.executeScript("return document.documentElement.scrollWidth;");
        Number window = (Number) js.executeScript("return document.documentElement.clientWidth;");
        assertThat(page.longValue()).as("page width at a %d-pixel window", WIDTH).isLessThanOrEqualTo(window.longValue());
    }

    /**
     * A tiny HTTP real server on 127.0.0.1: reads a request, answers {@code HTTP/1.0 200 OK} and
     * closes; it can be stopped and started again on the same port.
     */
    static final class LoopbackServer implements AutoCloseable {
        final String name;
        final int port;
        private volatile ServerSocket socket;

        private LoopbackServer(String name, int port) {
            this.name = name;
            this.port = port;
        }

        static LoopbackServer start(String name) throws IOException {
            int port;
            try (ServerSocket probe = new ServerSocket()) {
                probe.bind(new InetSocketAddress("127.0.0.1", 0));
                port = probe.getLocalPort();
            }
            LoopbackServer s = new LoopbackServer(name, port);
            s.restart();
            return s;
        }

        synchronized void restart() throws IOException {
            ServerSocket s = new ServerSocket();
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress("127.0.0.1", port));
            socket = s;
            Thread t = new Thread(() -> serve(s), "real-server-" + name);
            t.setDaemon(true);
            t.start();
        }

        private void serve(ServerSocket s) {
            while (!s.isClosed()) {
                try (Socket c = s.accept()) {
                    c.setSoTimeout(5000);
                    c.getInputStream().read(new byte[4096]);
                    c.getOutputStream().write(("HTTP/1.0 200 OK\r\nContent-Length: " + (name.length() + 1) + "\r\n\r\n" + name + "\n")
                            .getBytes(StandardCharsets.US_ASCII));
                } catch (IOException e) {
                    if (s.isClosed()) {
                        return;
                    }
                }
            }
        }

        @Override
        public synchronized void close() throws IOException {
            socket.close();
        }
    }

    interface Check {
        void run() throws Exception;
    }

    /** Repeats {@code check} until it passes, for at most {@code within}. */
    static void eventually(Duration within, Check check) throws Exception {
        Instant end = Instant.now().plus(within);
        while (true) {
            try {
                check.run();
                return;
            } catch (Exception | AssertionError e) {
                if (Instant.now().isAfter(end)) {
                    throw e;
                }
                Thread.sleep(200);
            }
        }
    }

    /** One request to the virtual service, through lvsd's user-space data plane: the real server's name. */
    String throughVip() throws IOException {
        try (Socket c = new Socket()) {
            c.connect(new InetSocketAddress(VIP, vport), 5000);
            c.setSoTimeout(5000);
            c.getOutputStream().write("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            String reply = new String(c.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            return reply.substring(reply.indexOf("\r\n\r\n") + 4).strip();
        }
    }

    @AfterEach
    void stop() throws Exception {
        try {
            if (driver != null) {
                driver.quit();
            }
        } finally {
            try {
                if (lvsd != null) {
                    Files.writeString(Path.of("target", "browser-test-lvsd.log"), lvsd.output());
                    lvsd.close();
                }
            } finally {
                if (gui != null) {
                    gui.close();
                }
                for (LoopbackServer s : realServers) {
                    s.close();
                }
            }
        }
    }

    /** Reads from the live table, again if an update replaced the element meanwhile. */
    static <T> T live(java.util.function.Supplier<T> read) {
        for (int i = 0; ; i++) {
            try {
                return read.get();
            } catch (StaleElementReferenceException e) {
                if (i >= 20) {
                    throw e;
                }
            }
        }
    }

    void screenshot(String name) throws IOException {
        byte[] png = ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES);
        Files.write(SHOTS.resolve(String.format("%02d-%s.png", ++shot, name)), png);
    }

    WebElement byId(String id) {
        try {
            return new WebDriverWait(driver, Duration.ofSeconds(15)).until(ExpectedConditions.presenceOfElementLocated(By.id(id)));
        } catch (org.openqa.selenium.TimeoutException e) {
            try {
                Files.writeString(SHOTS.resolve("failure.html"), driver.getCurrentUrl() + "\n" + driver.getPageSource());
                screenshot("failure");
            } catch (IOException io) {
                e.addSuppressed(io);
            }
            throw e;
        }
    }

    void type(String field, String value) {
        WebElement e = byId("f-" + field);
        if (e.getTagName().equals("select")) {
            new Select(e).selectByValue(value);
        } else {
            e.clear();
            e.sendKeys(value);
        }
    }

    void accept() {
        // the form page may show the flash of the save that led to it: wait for the page after this one
        WebElement before = driver.findElement(By.tagName("html"));
        byId("accept").click();
        new WebDriverWait(driver, Duration.ofSeconds(15)).until(ExpectedConditions.stalenessOf(before));
        new WebDriverWait(driver, Duration.ofSeconds(15)).until(d -> d.findElements(By.id("flash")).size() > 0);
        assertThat(driver.findElement(By.id("flash")).getText()).startsWith("Saved");
    }

    @Test
    void configureApplyAndWatchARealServerFail() throws Exception {
        int p1 = realServers.get(0).port;
        int p2 = realServers.get(1).port;
        driver.get(gui.url("/control"));
        assertThat(driver.getCurrentUrl()).endsWith("/login");
        screenshot("login");
        byId("password").sendKeys(TestGui.PASSWORD);
        byId("login").click();
        byId("live");
        // The panels are replaced by every live update: read them through live(), which retries.
        assertThat(live(() -> byId("lvsd-state").getText())).contains("ready").contains("backend userspace").contains("serial_no 1");
        assertThat(live(() -> byId("pulse-state").getText())).contains("pulse not running: no control socket");
        assertThat(live(() -> byId("processes").getText())).contains("lvsd " + lvsd.pid() + " ").doesNotContain("LvsdMain");

        driver.findElement(By.linkText("GLOBAL SETTINGS")).click();
        byId("f-primary");
        screenshot("global-settings");
        driver.findElement(By.linkText("REDUNDANCY")).click();
        byId("f-keepalive");
        screenshot("redundancy");

        driver.findElement(By.linkText("VIRTUAL SERVERS")).click();
        byId("add-virtual").click();
        type("name", "web");
        type("address", VIP + " lo:50");
        type("port", Integer.toString(vport));
        type("scheduler", "rr");
        // Checks every 2 s, back after 2 good ones: the browser sees both transitions quickly.
        type("timeout", "2");
        type("reentry", "4");
        accept();
        screenshot("virtual-server");

        byId("tab-real").click();
        for (int i = 0; i < 2; i++) {
            byId("add-server").click();
            type("name", "rs" + (i + 1));
            type("address", "127.0.0.1");
            type("port", Integer.toString(i == 0 ? p1 : p2));
            type("weight", Integer.toString(i + 1));
            type("active", "1");
            accept();
            byId("tab-real").click();
        }
        screenshot("real-servers");

        byId("tab-scripts").click();
        assertThat(byId("f-send").getAttribute("value")).isEqualTo("GET / HTTP/1.0\\r\\n\\r\\n");
        byId("blank-send").click();
        new WebDriverWait(driver, Duration.ofSeconds(15)).until(d -> d.findElements(By.id("flash")).size() > 0);
        assertThat(byId("flash").getText()).startsWith("Saved");
        assertThat(byId("f-send").getAttribute("value")).isEmpty();
        assertThat(gui.lvsCfText()).doesNotContain("send =");
        type("send", "HEAD / HTTP/1.0\\r\\n\\r\\n");
        type("expect", "HTTP/1.");
        accept();
        screenshot("monitoring-scripts");

        driver.findElement(By.linkText("VIRTUAL SERVERS")).click();
        byId("toggle-0").click();
        // the click loads the page again: the button found may be gone by the time its text is read
        new WebDriverWait(driver, Duration.ofSeconds(15)).ignoring(StaleElementReferenceException.class)
                .until(d -> d.findElement(By.id("toggle-0")).getText().equals("DEACTIVATE"));
        screenshot("virtual-servers");

        assertThat(lvsd.status().getJsonArray("services")).isEmpty();
        byId("nav-apply").click();
        assertThat(byId("diff").getText()).contains("+ virtual web {").contains("+ serial_no = 10");
        screenshot("apply-changes");
        byId("apply").click();
        assertThat(byId("result-lvsd").getText()).contains("reloaded").contains("added virtual service web")
                .contains("added real server");
        assertThat(byId("result-pulse").getText()).contains("pulse is not running").contains("lvsd asked directly");
        assertThat(byId("flash").getText()).isEqualTo("Applied.");
        screenshot("applied");

        assertThat(gui.lvsCfText()).isEqualTo(EXPECTED.replace("VPORT", Integer.toString(vport))
                .replace("PORT1", Integer.toString(p1)).replace("PORT2", Integer.toString(p2)));
        // lvsd itself now runs what was applied: its status, and traffic through the virtual address.
        JsonObject status = lvsd.status();
        assertThat(status.getLong("serial_no")).isEqualTo(10);
        assertThat(status.getJsonArray("services")).hasSize(1);
        JsonObject web = status.getJsonArray("services").getJsonObject(0);
        assertThat(web.getString("name")).isEqualTo("web");
        assertThat(web.getString("ipvs")).isEqualTo("-t " + VIP + ":" + vport);
        assertThat(web.getJsonArray("servers")).hasSize(2);
        // The table is programmed once each new real server has had its first check.
        eventually(Duration.ofSeconds(20), () -> assertThat(Set.of(throughVip(), throughVip())).containsExactlyInAnyOrder("rs1", "rs2"));

        driver.get(gui.url("/control?refresh=1&auto=on"));
        String row1 = "rs-web-127.0.0.1:" + p1;
        String row2 = "rs-web-127.0.0.1:" + p2;
        // The table is replaced on every update: lookups retry when an element went stale.
        WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(30));
        wait.ignoring(StaleElementReferenceException.class);
        wait.until(d -> d.findElement(By.id(row1)).getAttribute("class").equals("up"));
        assertThat(live(() -> driver.findElement(By.id("lvsd-state")).getText())).contains("serial_no 10");
        screenshot("monitoring-up");
        // A mark in this page's window: it survives only if the page is never reloaded.
        ((JavascriptExecutor) driver).executeScript("window.notReloaded = true;");
        realServers.get(0).close();
        // The page is not reloaded: the row turns red through the event stream, from lvsd's nanny.
        wait.until(d -> d.findElement(By.id(row1)).getAttribute("class").equals("down"));
        assertThat(((JavascriptExecutor) driver).executeScript("return window.notReloaded === true;")).isEqualTo(true);
        assertThat(live(() -> driver.findElement(By.id(row1)).findElement(By.cssSelector("td:nth-child(3)")).getCssValue("background-color")))
                .isEqualTo("rgba(179, 38, 30, 1)");
        assertThat(lvsd.server("web", "127.0.0.1:" + p1).getString("health")).isEqualTo("down");
        assertThat(live(() -> driver.findElement(By.id(row1)).findElement(By.cssSelector("td:nth-child(10)")).getText())).isNotEmpty();
        assertThat(live(() -> driver.findElement(By.id(row2)).getAttribute("class"))).isEqualTo("up");
        eventually(Duration.ofSeconds(10), () -> assertThat(List.of(throughVip(), throughVip())).containsExactly("rs2", "rs2"));
        // The red row says so in words too, and the stop is on the event timeline, newest first.
        assertThat(live(() -> driver.findElement(By.id(row1)).findElement(By.cssSelector("td:nth-child(3)")).getText())).isEqualTo("down");
        assertThat(live(() -> ((JavascriptExecutor) driver).executeScript("return getComputedStyle(document.getElementById(arguments[0])"
                + ".querySelector('td:nth-child(3)'), '::before').content;", row1))).asString().contains("▼");
        wait.until(d -> d.findElement(By.id("timeline")).getText().contains("real server rs1 (127.0.0.1:" + p1 + ") in web is down"));
        assertThat(live(() -> driver.findElement(By.cssSelector("#timeline li:first-child")).getText())).contains("rs1").contains("down");
        new Select(byId("timeline-filter")).selectByValue("reload");
        assertThat(live(() -> driver.findElement(By.cssSelector("#timeline li[data-kind=server]")).isDisplayed())).isFalse();
        new Select(byId("timeline-filter")).selectByValue("");
        screenshot("monitoring-down");
        fitsTheWindow();

        realServers.get(0).restart();
        wait.until(d -> d.findElement(By.id(row1)).getAttribute("class").equals("up"));
        screenshot("monitoring-back-up");

        // Operator action: choose rs2's row, DRAIN; the choice survives the table's live updates.
        live(() -> {
            driver.findElement(By.id(row2)).findElement(By.name("target")).click();
            return null;
        });
        Thread.sleep(2500);
        byId("action-drain").click();
        new WebDriverWait(driver, Duration.ofSeconds(15)).until(d -> d.findElements(By.id("flash")).size() > 0);
        assertThat(byId("flash").getText()).startsWith("drain 127.0.0.1:" + p2 + " in web: done. Changed:")
                .contains("override: auto \u2192 drain").containsPattern("weight in the table: [1-9]\\d* \u2192 0");
        assertThat(lvsd.server("web", "127.0.0.1:" + p2).getString("override")).isEqualTo("drain");
        wait.until(d -> d.findElement(By.id(row2)).findElement(By.cssSelector("td:nth-child(4)")).getText().equals("drain"));
        screenshot("monitoring-drained");
    }

    /** Nine saves (add, edit, two servers added and edited, BLANK SEND, scripts, activate): serial_no 1 to 10. */
    static final String EXPECTED = """
            serial_no = 10
            primary = 127.0.0.1
            service = lvs
            backend = userspace
            virtual web {
                 active = 1
                 address = 127.0.0.50 lo:50
                 port = VPORT
                 send = "HEAD / HTTP/1.0\\r\\n\\r\\n"
                 expect = "HTTP/1."
                 use_regex = 0
                 load_monitor = none
                 scheduler = rr
                 protocol = tcp
                 timeout = 2
                 reentry = 4
                 quiesce_server = 0
                 server rs1 {
                     address = 127.0.0.1
                     active = 1
                     port = PORT1
                     weight = 1
                 }
                 server rs2 {
                     address = 127.0.0.1
                     active = 1
                     port = PORT2
                     weight = 2
                 }
            }
            """;
}
