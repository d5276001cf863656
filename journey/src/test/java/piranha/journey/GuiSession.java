package piranha.journey;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import piranha.gui.testing.HeadlessChromium;

/** The configuration tool in headless Chromium, 1280 pixels wide, logged in: what an operator clicks. */
final class GuiSession implements AutoCloseable {
    static final int WIDTH = 1280;
    final ChromeDriver driver;
    private final String base;

    private GuiSession(ChromeDriver driver, String base) {
        this.driver = driver;
        this.base = base;
    }

    /** Opens the tool; every page sends to the login first, where the demo's one-time password logs in. */
    static GuiSession open(Path profile, String base, String password) throws Exception {
        ChromeDriver driver = HeadlessChromium.start(profile, WIDTH, 1000, profile.resolveSibling("chromedriver.log"));
        GuiSession s = new GuiSession(driver, base);
        try {
            driver.get(base + "/");
            assertThat(driver.getCurrentUrl()).endsWith("/login");
            s.byId("password").sendKeys(password);
            s.click("login");
            s.byId("live");
            return s;
        } catch (Exception | AssertionError e) {
            driver.quit();
            throw e;
        }
    }

    /** CONTROL/MONITORING without live updates, so that what is read is one rendering. */
    void control() {
        go("/control?refresh=3600");
        byId("live");
    }

    void go(String path) {
        driver.get(base + path);
    }

    WebElement byId(String id) {
        return new WebDriverWait(driver, Duration.ofSeconds(30)).until(ExpectedConditions.presenceOfElementLocated(By.id(id)));
    }

    String text(String id) {
        for (int i = 0; ; i++) {
            try {
                return byId(id).getText();
            } catch (StaleElementReferenceException e) {
                if (i > 20) {
                    throw e;
                }
            }
        }
    }

    /** Clicks and waits for the next page. */
    void click(String id) {
        WebElement before = driver.findElement(By.tagName("html"));
        byId(id).click();
        new WebDriverWait(driver, Duration.ofSeconds(60)).until(ExpectedConditions.stalenessOf(before));
    }

    void select(String field, String value) {
        new Select(byId("f-" + field)).selectByValue(value);
    }

    /** ACCEPT on a form page: the change is saved. */
    void accept() {
        click("accept");
        assertThat(text("flash")).startsWith("Saved");
    }

    /** On CONTROL/MONITORING: choose the real server's row, then the action's button. */
    void serverAction(String endpoint, String action) {
        control();
        byId("rs-demo_web-" + endpoint).findElement(By.name("target")).click();
        click("action-" + action);
        assertThat(driver.getCurrentUrl()).contains("/control");
    }

    void logout() {
        click("logout");
        assertThat(driver.getCurrentUrl()).endsWith("/login");
    }

    /** The text of every cell of the rows a CSS selector finds, read in one go (a radio button counts as text). */
    @SuppressWarnings("unchecked")
    List<List<String>> cells(String rows) {
        return (List<List<String>>) driver.executeScript("return Array.from(document.querySelectorAll(arguments[0]))"
                + ".map(r => Array.from(r.cells).map(c => c.querySelector('input[type=radio]') ? 'radio'"
                + " : c.textContent.trim()));", rows);
    }

    /** Nothing sticks out of the window: no horizontal scrolling. */
    void assertFitsTheWindow() {
        long page = ((Number) driver.executeScript("return document.documentElement.scrollWidth;")).longValue();
        long window = ((Number) driver.executeScript("return document.documentElement.clientWidth;")).longValue();
        assertThat(page).as("width of %s in a %d-pixel window", driver.getCurrentUrl(), WIDTH).isLessThanOrEqualTo(window);
    }

    @Override
    public void close() {
        driver.quit();
    }
}
