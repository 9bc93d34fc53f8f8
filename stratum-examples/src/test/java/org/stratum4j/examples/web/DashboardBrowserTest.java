package org.stratum4j.examples.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.stratum4j.examples.pool.ExamplePool;
import org.stratum4j.examples.pool.PoolMain;
import org.stratum4j.examples.testing.TestPools;
import org.stratum4j.examples.testing.ValidShareMiner;

/**
 * The dashboard in a real browser: Debian's Chromium, headless, driven by Selenium through
 * ChromeDriver, against the example pool with two miners (one with a hostile worker name).
 * Screenshots of both pages go to {@code target/screenshots} (the README's come from there).
 */
class DashboardBrowserTest {

    /** Worker names may hold any printable character but a space: this one is accepted by the pool. */
    static final String HOSTILE = PoolMain.DEMO_ADDRESS + ".<script>alert(1)</script><img/src=x/onerror=alert(2)>";
    static ExamplePool pool;
    static ChromeDriver browser;
    static String base;
    static ValidShareMiner watching;

    /** Chromium and ChromeDriver, or a skip (a failure in CI) naming the Debian packages. */
    static Path[] browserBinaries() {
        Path chromium = Path.of("/usr/bin/chromium");
        Path driver = Path.of("/usr/bin/chromedriver");
        if (Files.isExecutable(chromium) && Files.isExecutable(driver)) {
            return new Path[] {chromium, driver};
        }
        String why = "the dashboard's browser tests need Chromium and ChromeDriver (Debian packages chromium and chromium-driver);"
                + " .ci/run installs them";
        if ("true".equals(System.getenv("CI"))) {
            Assertions.fail(why);
        }
        Assumptions.assumeTrue(false, why);
        return null;
    }

    @BeforeAll
    static void start() throws Exception {
        Path[] bin = browserBinaries();
        // About one share in a hundred is a block, so the pages have blocks to show.
        pool = TestPools.start(new String[] {"--bind", "127.0.0.1", "--port", "0", "--web-port", "0", "--web-bind", "127.0.0.1",
            "--mode", "pool", "--payout-address", PoolMain.DEMO_ADDRESS, "--payout-scheme", "pool-address",
            "--demo-network-difficulty", "0.000001", "--difficulty", ValidShareMiner.DIFFICULTY, "--vardiff", "off", "--vardiff-min",
            ValidShareMiner.DIFFICULTY});
        int port = pool.boundAddresses().get(0).getPort();
        for (String worker : List.of(PoolMain.DEMO_ADDRESS + ".rig1", HOSTILE)) {
            try (ValidShareMiner miner = new ValidShareMiner(port, worker, 8)) {
                int[] n = {0};
                miner.mine(0, 0, () -> ++n[0] >= 300);
                miner.drain();
            }
        }
        watching = new ValidShareMiner(port, PoolMain.DEMO_ADDRESS + ".watch", 8);
        base = "http://127.0.0.1:" + pool.webAddress().orElseThrow().getPort();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(bin[0].toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,1000");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(bin[1].toFile()).usingAnyFreePort()
                .build();
        browser = new ChromeDriver(service, options);
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (watching != null) {
            watching.close();
        }
        if (pool != null) {
            pool.close();
        }
    }

    static WebElement chartReady() {
        new WebDriverWait(browser, Duration.ofSeconds(20)).until(d -> !d.findElements(By.cssSelector(".chart.ready")).isEmpty());
        return browser.findElement(By.cssSelector(".chart.ready"));
    }

    static void screenshot(String name) throws Exception {
        Path dir = Path.of("target", "screenshots");
        Files.createDirectories(dir);
        Files.write(dir.resolve(name + ".png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    }

    @Test
    void thePoolPageShowsItsMinersBlocksAndAChartWithPoints() throws Exception {
        browser.get(base + "/");
        WebElement chart = chartReady();
        assertThat(Integer.parseInt(chart.getDomAttribute("data-points"))).isPositive();
        assertThat(chart.findElements(By.tagName("canvas"))).isNotEmpty();
        assertThat(browser.findElement(By.id("workers-online")).getText()).isEqualTo("2");
        assertThat(browser.findElement(By.id("miners-online")).getText()).isEqualTo("1");
        assertThat(browser.findElement(By.id("pool-hashrate")).getText()).doesNotStartWith("0 ").endsWith("H/s");
        assertThat(browser.findElements(By.cssSelector("#blocks tbody tr"))).isNotEmpty();
        // A share in flight across a block change may be a block on the old tip: refused ("inconclusive") and listed as such.
        assertThat(browser.findElements(By.cssSelector("#blocks tbody tr"))).extracting(WebElement::getText)
                .anyMatch(t -> t.contains("accepted")).allMatch(t -> t.contains("accepted") || t.contains("rejected: inconclusive"));
        assertThat(browser.findElements(By.cssSelector("#best tbody tr"))).hasSize(10);
        // The watching miner is connected while the page is read; ValidShareMiner subscribes as "valid-share-miner/1".
        assertThat(browser.findElement(By.id("software")).getText()).contains("valid-share-miner");
        screenshot("pool");
    }

    @Test
    void theMinerPageShowsEachWorkerItsHashrateAndAChart() throws Exception {
        browser.get(base + "/");
        browser.findElement(By.name("address")).sendKeys(PoolMain.DEMO_ADDRESS);
        browser.findElement(By.cssSelector("header form button")).click();
        new WebDriverWait(browser, Duration.ofSeconds(10)).until(d -> d.getCurrentUrl().endsWith("/miner/" + PoolMain.DEMO_ADDRESS));
        WebElement chart = chartReady();
        assertThat(Integer.parseInt(chart.getDomAttribute("data-points"))).isPositive();
        List<WebElement> rows = browser.findElements(By.cssSelector("#workers tbody tr"));
        assertThat(rows).hasSize(2);
        WebElement rig = rows.stream().filter(r -> r.findElement(By.className("worker")).getText().equals("rig1")).findFirst()
                .orElseThrow();
        assertThat(rig.getDomAttribute("class")).isEqualTo("online");
        assertThat(rig.findElement(By.className("hashrate")).getText()).doesNotStartWith("0 ").endsWith("H/s");
        assertThat(browser.findElement(By.id("miner-workers")).getText()).isEqualTo("2 of 2");
        // Blocks were found while these two mined (about one share in a hundred): the page lists them with their finder.
        List<WebElement> blocks = browser.findElements(By.cssSelector("#miner-blocks tbody tr"));
        assertThat(blocks).isNotEmpty();
        assertThat(blocks).extracting(WebElement::getText).anyMatch(t -> t.contains("accepted"))
                .allMatch(t -> t.contains(" rig1 ") || t.contains(HOSTILE.substring(PoolMain.DEMO_ADDRESS.length() + 1)));
        screenshot("miner");

        browser.get(base + "/miner/" + PoolMain.DEMO_ADDRESS + "?view=1h");
        assertThat(chartReady().getDomAttribute("data-url")).endsWith("view=1h");
    }

    @Test
    void aHostileWorkerNameIsShownAsInertText() {
        browser.get(base + "/miner/" + PoolMain.DEMO_ADDRESS);
        chartReady();
        assertThat(browser.findElements(By.cssSelector("#workers img"))).isEmpty();
        assertThat(browser.findElements(By.cssSelector("main script"))).isEmpty();
        assertThat(browser.findElements(By.cssSelector("#workers td.worker"))).extracting(WebElement::getText)
                .contains(HOSTILE.substring(PoolMain.DEMO_ADDRESS.length() + 1));
        browser.get(base + "/");
        assertThat(browser.findElements(By.cssSelector("main img, main script"))).isEmpty();
        assertThat(browser.findElements(By.cssSelector("#best td"))).extracting(WebElement::getText).contains(HOSTILE);
    }

    @Test
    void atAPhonesWidthNothingScrollsSideways() {
        Dimension before = browser.manage().window().getSize();
        try {
            browser.manage().window().setSize(new Dimension(375, 812));
            for (String page : List.of("/", "/miner/" + PoolMain.DEMO_ADDRESS)) {
                browser.get(base + page);
                chartReady();
                Object overflow = ((JavascriptExecutor) browser).executeScript(
                        "return document.documentElement.scrollWidth - document.documentElement.clientWidth;");
                assertThat(((Number) overflow).longValue()).as("sideways scroll on %s", page).isLessThanOrEqualTo(0);
            }
        } finally {
            browser.manage().window().setSize(before);
        }
    }
}
