package dev.llmfallback.sample;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The live page in a real headless Chromium (Debian's {@code chromium} and {@code chromium-driver}):
 * a prompt is sent, the answer streams in, and the request's attempts and hop show. Runs only with
 * {@code -Dbrowser.tests=true}, as {@code .ci/run} passes once the browser is installed.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "sample.simulator.providers.flaky.rate-limited=1.0",
				"sample.simulator.providers.flaky.overloaded=0", "sample.simulator.providers.flaky.slow=0",
				"llm.fallback.policies.chat.retry.max-retries=0", "llm.fallback.policies.chat.cooldown.failures=1000" })
@EnabledIfSystemProperty(named = "browser.tests", matches = "true")
class LivePageBrowserTests {

	@LocalServerPort
	int port;

	private WebDriver browser;

	@BeforeEach
	void startBrowser() throws Exception {
		Path profile = Files.createTempDirectory("chromium-profile");
		ChromeOptions options = new ChromeOptions().setBinary(System.getProperty("chromium.binary", "/usr/bin/chromium"))
			.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
					"--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
					"--disable-sync", "--user-data-dir=" + profile, "--window-size=1280,900");
		ChromeDriverService service = new ChromeDriverService.Builder()
			.usingDriverExecutable(new File(System.getProperty("chromedriver", "/usr/bin/chromedriver")))
			.usingAnyFreePort()
			.build();
		this.browser = new ChromeDriver(service, options);
	}

	@AfterEach
	void stopBrowser() {
		if (this.browser != null) {
			this.browser.quit();
		}
	}

	@Test
	void aPromptStreamsItsAnswerAndShowsTheHop() throws Exception {
		WebDriverWait wait = new WebDriverWait(this.browser, Duration.ofSeconds(20));
		this.browser.get("http://127.0.0.1:" + this.port + "/");
		wait.until((page) -> !page.findElements(By.cssSelector("#policy option")).isEmpty());

		WebElement prompt = this.browser.findElement(By.id("prompt"));
		prompt.clear();
		prompt.sendKeys("Hello from a real browser");
		this.browser.findElement(By.id("send")).click();

		wait.until((page) -> page.findElement(By.id("answer")).getText().contains("Hello from a real browser"));
		wait.until((page) -> page.findElements(By.cssSelector("#attempts tbody tr")).size() == 2);
		List<WebElement> rows = this.browser.findElements(By.cssSelector("#attempts tbody tr"));
		assertThat(rows.get(0).getText()).contains("gpt-4o-mini").contains("rate_limit").contains("429");
		assertThat(rows.get(1).getText()).contains("claude-haiku").contains("fallback").contains("success");
		assertThat(this.browser.findElement(By.id("served")).getText()).isEqualTo("served by claude-haiku");
		assertThat(this.browser.findElement(By.id("hops")).getText()).isEqualTo("1 hop");
		wait.until((page) -> !page.findElements(By.cssSelector("#models tbody tr[data-model='gpt-4o-mini']")).isEmpty());

		File screenshot = ((TakesScreenshot) this.browser).getScreenshotAs(OutputType.FILE);
		Path target = Path.of("target", "browser", "live-page.png");
		Files.createDirectories(target.getParent());
		Files.copy(screenshot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
	}

}
