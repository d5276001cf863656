package piranha.gui.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import piranha.gui.testing.HeadlessChromium;

/** CONTROL/MONITORING in a 1280-pixel window with a director's long values: no horizontal scrolling. */
class ControlPageLayoutTest {
    @TempDir
    Path dir;
    TestGui gui;
    ChromeDriver driver;

    @AfterEach
    void stop() {
        if (driver != null) {
            driver.quit();
        }
        if (gui != null) {
            gui.close();
        }
    }

    @Test
    void theRoutingTableFits1280Pixels() throws Exception {
        gui = new TestGui(dir).withDaemons();
        JsonArray servers = new JsonArray();
        for (int i = 1; i <= 4; i++) {
            servers.add(new JsonObject().put("name", "web-backend-0" + i).put("address", "198.51.100." + (200 + i)).put("port", 8443)
                    .put("health", i == 2 ? "down" : "up").put("override", i == 3 ? "drain" : "auto").put("weight", 128)
                    .put("configured_weight", 256).put("in_table", true).put("last_check", java.time.Instant.now().toString())
                    .put("reason", i == 2 ? "connect to 198.51.100.202:8443 timed out after 6 s (no SYN-ACK)"
                            : "got expected reply from 198.51.100.20" + i + ":8443: HTTP/1.1 200 OK")
                    .put("latency_ms", 1234.56).put("checks", 99999).put("active_conns", 123456).put("inactive_conns", 654321)
                    .put("conns", 98765432).put("bytes_in", 12345678901L).put("bytes_out", 98765432109L));
        }
        gui.lvsdStatus = gui.lvsdStatus.copy().put("services", new JsonArray().add(new JsonObject()
                .put("name", "production_https_frontend").put("ipvs", "-t 203.0.113.100:443").put("protocol", "tcp")
                .put("address", "203.0.113.100").put("port", 443).put("scheduler", "wlc").put("persistent", 300)
                .put("servers", servers)));
        TestGui.Client c = gui.client().login();
        driver = HeadlessChromium.start(dir.resolve("chromium"), 1280, 900, dir.resolve("chromedriver.log"));
        driver.get(gui.url("/login"));
        driver.findElement(By.id("password")).sendKeys(TestGui.PASSWORD);
        driver.findElement(By.id("login")).click();
        driver.get(gui.url("/control?refresh=60"));
        assertThat(driver.findElement(By.id("ipvs")).getText()).contains("production_https_frontend");
        JavascriptExecutor js = driver;
        long page = ((Number) js.executeScript("return document.documentElement.scrollWidth;")).longValue();
        long window = ((Number) js.executeScript("return document.documentElement.clientWidth;")).longValue();
        assertThat(page).as("page width in a 1280-pixel window").isLessThanOrEqualTo(window);
        assertThat(c).isNotNull();
    }
}
