package piranha.gui.testing;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import piranha.daemon.testing.RequiredTools;

/**
 * Debian's chromium, headless, through its chromedriver (never a downloaded browser): the browser
 * of the GUI's tests and of the operator journey. Missing, it skips the test, or fails it in CI
 * ({@link RequiredTools}).
 */
public final class HeadlessChromium {
    private HeadlessChromium() {}

    /**
     * @param profile   a directory of the test's own for the browser's profile
     * @param width     window width in CSS pixels (the GUI must fit 1280)
     * @param driverLog chromedriver's log
     */
    public static ChromeDriver start(Path profile, int width, int height, Path driverLog) throws IOException {
        Path chromium = RequiredTools.program("chromium", "/usr/bin/chromium");
        Path chromedriver = RequiredTools.program("chromium-driver", "/usr/bin/chromedriver");
        ChromeOptions o = new ChromeOptions();
        o.setBinary(chromium.toFile());
        o.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=" + width + "," + height,
                "--user-data-dir=" + Files.createDirectories(profile));
        Files.createDirectories(driverLog.toAbsolutePath().getParent());
        // The browser's console is kept, so tests can fail on a script error or a refused resource.
        o.setCapability("goog:loggingPrefs", java.util.Map.of("browser", "ALL"));
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(chromedriver.toFile())
                .usingAnyFreePort().withLogFile(new File(driverLog.toString())).build();
        ChromeDriver driver = new ChromeDriver(service, o);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
        return driver;
    }
}
