package dev.cachewarming.sample;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard in a real headless Chromium (Debian's {@code chromium} and {@code chromium-driver}, which
 * {@code .ci/run} installs): warming progress reaches 100%, the readiness badge turns ready, and the traffic
 * button drives the chart.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = { "sample.catalog.size=20000", "cache-warming.warmup.remember.directory=target/hot-keys",
                "sample.traffic.rate=300" })
class DashboardBrowserTests {

    private static final String CHROMIUM = "/usr/bin/chromium";

    private static final String CHROMEDRIVER = "/usr/bin/chromedriver";

    @LocalServerPort
    private int port;

    private WebDriver browser;

    private Path profile;

    @BeforeEach
    void openBrowser() throws Exception {
        assertThat(new File(CHROMIUM)).as("Chromium is needed: apt-get install -y chromium chromium-driver")
            .canRead();
        assertThat(new File(CHROMEDRIVER)).as("ChromeDriver is needed: apt-get install -y chromium-driver")
            .canRead();
        this.profile = Files.createTempDirectory("chromium-profile");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        // The machine has no network besides localhost: keep Chromium from trying to reach anything else.
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-quic", "--no-first-run", "--window-size=1400,1000", "--user-data-dir=" + this.profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
            .usingDriverExecutable(new File(CHROMEDRIVER))
            .build();
        this.browser = new ChromeDriver(service, options);
    }

    @AfterEach
    void closeBrowser() {
        if (this.browser != null) {
            this.browser.quit();
        }
    }

    @Test
    void dashboardShowsWarmingCompleteAndTheInstanceReady() throws Exception {
        this.browser.get("http://localhost:" + this.port + "/");
        WebDriverWait wait = new WebDriverWait(this.browser, Duration.ofSeconds(60));
        // The page re-renders its panels every poll: an element found just before that is stale when read.
        wait.ignoring(StaleElementReferenceException.class);

        wait.until((page) -> "READY".equals(page.findElement(By.id("readiness")).getText()));
        wait.until((page) -> "100".equals(page.findElement(By.cssSelector(".progress[data-cache='products']"))
            .getAttribute("data-progress")));
        assertThat(this.browser.findElement(By.id("progress-products")).getText()).isEqualTo("100%");
        assertThat(this.browser.findElement(By.id("warmup-state")).getText()).isEqualTo("COMPLETED");

        this.browser.findElement(By.id("traffic-start")).click();
        wait.until((page) -> page.findElement(By.id("traffic")).getText().startsWith("running"));
        wait.until((page) -> page.findElement(By.id("now")).getText().contains("queries/s"));
        wait.until((page) -> page.findElement(By.id("hotkeys")).findElements(By.tagName("tr")).size() > 3);
        // Let the chart collect ten seconds of traffic for the screenshot (docs/dashboard.png comes from it).
        wait.until((page) -> Integer.parseInt(page.findElement(By.id("chart")).getAttribute("data-points")) >= 10);

        File shot = ((TakesScreenshot) this.browser).getScreenshotAs(OutputType.FILE);
        Path target = Path.of("target", "dashboard.png");
        Files.copy(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
        assertThat(Files.size(target)).isPositive();
        this.browser.findElement(By.id("traffic-stop")).click();
    }
}
