package piranha.gui.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import piranha.lvscf.LvsCfFiles;
import piranha.lvscf.model.RealServer;
import piranha.lvscf.model.VirtualService;

/**
 * End to end in Debian's headless Chromium, driven through its chromedriver: configure a service
 * from scratch, apply it, and watch a real server go red when its loopback server stops.
 */
class BrowserTest {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final Path SHOTS = Path.of("target", "screenshots");
    static final String START = "serial_no = 1\nprimary = 127.0.0.1\nservice = lvs\nbackend = userspace\n";

    @TempDir
    Path dir;
    TestGui gui;
    WebDriver driver;
    final List<ServerSocket> realServers = new ArrayList<>();
    int shot;

    @BeforeEach
    void start() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "browser tests skipped: /usr/bin/chromium and /usr/bin/chromedriver are needed (apt-get install chromium chromium-driver)");
        for (int i = 0; i < 2; i++) {
            ServerSocket s = new ServerSocket();
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            realServers.add(s);
            Thread t = new Thread(() -> accept(s), "real-server-" + i);
            t.setDaemon(true);
            t.start();
        }
        gui = new TestGui(dir, Duration.ofMinutes(15), null, null, START).withDaemons();
        gui.lvsdStatusSource = this::standInLvsdStatus;
        Files.createDirectories(SHOTS);
        try (var old = Files.list(SHOTS)) {
            for (Path f : old.toList()) {
                Files.delete(f);
            }
        }
        ChromeOptions o = new ChromeOptions();
        o.setBinary(CHROMIUM.toFile());
        o.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1400,1000",
                "--user-data-dir=" + Files.createTempDirectory(dir, "chromium"));
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().withLogFile(new File("target/chromedriver.log")).build();
        driver = new ChromeDriver(service, o);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
    }

    private static void accept(ServerSocket s) {
        while (!s.isClosed()) {
            try (Socket c = s.accept()) {
                c.getOutputStream().write("HTTP/1.0 200 OK\r\n\r\n".getBytes());
            } catch (IOException e) {
                return;
            }
        }
    }

    /**
     * The status lvsd would report: the active services of lvs.cf, each real server checked with a
     * real TCP connect on loopback.
     */
    private JsonObject standInLvsdStatus() {
        JsonArray services = new JsonArray();
        try {
            for (VirtualService v : LvsCfFiles.read(gui.lvsCf).config().activeVirtuals()) {
                JsonArray servers = new JsonArray();
                for (RealServer r : v.activeServers()) {
                    String ip = r.address().ip();
                    Instant t0 = Instant.now();
                    String health;
                    String reason;
                    try (Socket s = new Socket()) {
                        s.connect(new InetSocketAddress(ip, r.port()), 500);
                        health = "up";
                        reason = "connected to " + ip + ":" + r.port();
                    } catch (IOException e) {
                        health = "down";
                        reason = "connect to " + ip + ":" + r.port() + " refused";
                    }
                    servers.add(new JsonObject().put("name", r.name()).put("address", ip).put("port", r.port())
                            .put("health", health).put("override", "auto").put("weight", health.equals("up") ? r.weight() : 0)
                            .put("configured_weight", r.weight()).put("in_table", health.equals("up"))
                            .put("last_check", Instant.now().toString()).put("reason", reason)
                            .put("latency_ms", Duration.between(t0, Instant.now()).toNanos() / 1e6)
                            .put("active_conns", 0).put("inactive_conns", 0).put("conns", 0).put("bytes_in", 0).put("bytes_out", 0));
                }
                services.add(new JsonObject().put("name", v.name()).put("ipvs", v.ipvsService()).put("scheduler", v.scheduler().keyword())
                        .put("persistent", v.persistent()).put("servers", servers));
            }
        } catch (IOException e) {
            return new JsonObject().put("error", e.getMessage());
        }
        return new JsonObject().put("daemon", "lvsd").put("pid", ProcessHandle.current().pid()).put("ready", true)
                .put("backend", "userspace").put("serial_no", 0).put("services", services);
    }

    @AfterEach
    void stop() throws IOException {
        if (driver != null) {
            driver.quit();
        }
        if (gui != null) {
            gui.close();
        }
        for (ServerSocket s : realServers) {
            s.close();
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
        byId("accept").click();
        new WebDriverWait(driver, Duration.ofSeconds(15)).until(d -> d.findElements(By.id("flash")).size() > 0);
        assertThat(driver.findElement(By.id("flash")).getText()).startsWith("Saved");
    }

    @Test
    void configureApplyAndWatchARealServerFail() throws Exception {
        int p1 = realServers.get(0).getLocalPort();
        int p2 = realServers.get(1).getLocalPort();
        driver.get(gui.url("/control"));
        assertThat(driver.getCurrentUrl()).endsWith("/login");
        screenshot("login");
        byId("password").sendKeys(TestGui.PASSWORD);
        byId("login").click();
        byId("live");

        driver.findElement(By.linkText("GLOBAL SETTINGS")).click();
        byId("f-primary");
        screenshot("global-settings");
        driver.findElement(By.linkText("REDUNDANCY")).click();
        byId("f-keepalive");
        screenshot("redundancy");

        driver.findElement(By.linkText("VIRTUAL SERVERS")).click();
        byId("add-virtual").click();
        type("name", "web");
        type("address", "127.0.0.50 lo:50");
        type("port", "80");
        type("scheduler", "rr");
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
        type("send", "HEAD / HTTP/1.0\\r\\n\\r\\n");
        type("expect", "HTTP/1.");
        accept();
        screenshot("monitoring-scripts");

        driver.findElement(By.linkText("VIRTUAL SERVERS")).click();
        byId("toggle-0").click();
        new WebDriverWait(driver, Duration.ofSeconds(15)).until(d -> d.findElement(By.id("toggle-0")).getText().equals("DEACTIVATE"));
        screenshot("virtual-servers");

        byId("nav-apply").click();
        assertThat(byId("diff").getText()).contains("+ virtual web {").contains("+ serial_no = 9");
        screenshot("apply-changes");
        byId("apply").click();
        assertThat(byId("result-lvsd").getText()).contains("reloaded");
        assertThat(byId("result-pulse").getText()).contains("reloaded");
        screenshot("applied");
        assertThat(gui.lvsdRequests).extracting(j -> j.getString("cmd")).containsExactly("reload");

        assertThat(gui.lvsCfText()).isEqualTo(EXPECTED.replace("PORT1", Integer.toString(p1)).replace("PORT2", Integer.toString(p2)));

        driver.get(gui.url("/control?refresh=1&auto=on"));
        String row1 = "rs-web-127.0.0.1:" + p1;
        String row2 = "rs-web-127.0.0.1:" + p2;
        // The table is replaced on every update: lookups retry when an element went stale.
        WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(20));
        wait.ignoring(StaleElementReferenceException.class);
        wait.until(d -> d.findElement(By.id(row1)).getAttribute("class").contains("health-up"));
        screenshot("monitoring-up");
        String stampBefore = byId("updated").getText();
        realServers.get(0).close();
        // The page is not reloaded: the row turns red through the event stream.
        wait.until(d -> d.findElement(By.id(row1)).getAttribute("class").contains("health-down"));
        assertThat(byId("updated").getText()).isNotEqualTo(stampBefore);
        assertThat(live(() -> driver.findElement(By.id(row1)).findElement(By.className("health")).getCssValue("background-color")))
                .isEqualTo("rgba(208, 0, 0, 1)");
        assertThat(live(() -> driver.findElement(By.id(row1)).getText())).contains("refused");
        assertThat(live(() -> driver.findElement(By.id(row2)).getAttribute("class"))).contains("health-up");
        screenshot("monitoring-down");

        // Operator action: choose rs2's row, DRAIN; the choice survives the table's live updates.
        live(() -> {
            driver.findElement(By.id(row2)).findElement(By.name("target")).click();
            return null;
        });
        Thread.sleep(2500);
        byId("action-drain").click();
        new WebDriverWait(driver, Duration.ofSeconds(15)).until(d -> d.findElements(By.id("flash")).size() > 0);
        assertThat(byId("flash").getText()).isEqualTo("drain 127.0.0.1:" + p2 + " in web: done.");
        assertThat(gui.lvsdRequests).extracting(j -> j.getString("cmd")).containsExactly("reload", "drain");
        assertThat(gui.lvsdRequests.get(1).getString("server")).isEqualTo("127.0.0.1:" + p2);
        assertThat(gui.lvsdRequests.get(1).getString("service")).isEqualTo("web");
    }

    /** Eight saves (add, edit, two servers added and edited, scripts, activate): serial_no 1 to 9. */
    static final String EXPECTED = """
            serial_no = 9
            primary = 127.0.0.1
            service = lvs
            backend = userspace
            virtual web {
                 active = 1
                 address = 127.0.0.50 lo:50
                 port = 80
                 send = "HEAD / HTTP/1.0\\r\\n\\r\\n"
                 expect = "HTTP/1."
                 use_regex = 0
                 load_monitor = none
                 scheduler = rr
                 protocol = tcp
                 timeout = 6
                 reentry = 15
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
