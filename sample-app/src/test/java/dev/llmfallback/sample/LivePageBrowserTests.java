package dev.llmfallback.sample;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
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
 * a prompt is sent, the answer streams in, and the request's attempts and hop show; the models panel
 * shows each model's strip of recent outcomes, a cooldown as a countdown, and the hops as from→to
 * counts. The primary is scripted to answer every call with a 429, and one failure cools it, so each
 * later request skips it. Runs only with {@code -Dbrowser.tests=true}, as {@code .ci/run} passes once
 * the browser is installed; the screenshot lands in {@code target/browser/live-page.png}
 * ({@code docs/live-page.png} is a copy of it).
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "sample.simulator.providers.flaky.rate-limited=1.0",
				"sample.simulator.providers.flaky.overloaded=0", "sample.simulator.providers.flaky.slow=0",
				"llm.fallback.policies.chat.retry.max-retries=0", "llm.fallback.policies.chat.cooldown.failures=1",
				"llm.fallback.policies.chat.cooldown.duration=55s" })
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
					"--disable-sync", "--user-data-dir=" + profile, "--window-size=1280,860",
					"--hide-scrollbars");
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
	void aPromptStreamsItsAnswerAndThePanelShowsOutcomeStripsACountdownAndHopCounts() throws Exception {
		WebDriverWait wait = new WebDriverWait(this.browser, Duration.ofSeconds(20));
		open(wait);
		// One walk through the page (its context, and so the models' state, is shared by the whole class).
		send(wait, "Hello from a real browser"); // gpt-4o-mini: 429, cooled at once; claude-haiku serves
		List<WebElement> rows = this.browser.findElements(By.cssSelector("#attempts tbody tr"));
		assertThat(rows.get(0).getText()).contains("gpt-4o-mini").contains("rate_limit").contains("429");
		assertThat(rows.get(1).getText()).contains("claude-haiku").contains("fallback").contains("success");
		assertThat(this.browser.findElement(By.id("served")).getText()).isEqualTo("served by claude-haiku");
		assertThat(this.browser.findElement(By.id("hops")).getText()).isEqualTo("1 hop");

		send(wait, "And once more"); // gpt-4o-mini skipped while cooling; claude-haiku serves
		assertThat(this.browser.findElement(By.cssSelector("#attempts tbody tr")).getText()).contains("gpt-4o-mini")
			.contains("skipped (cooldown)");

		// Each model's strip: its calls and skips of the last minutes, oldest first. The panel is redrawn
		// every 2 s, so each read is one script (atomic in the page) rather than a held element.
		wait.until((page) -> outcomes("claude-haiku").size() == 2);
		assertThat(outcomes("gpt-4o-mini")).containsExactly("rate_limit", "skipped");
		assertThat(outcomes("claude-haiku")).containsExactly("success", "success");
		assertThat(outcomes("gpt-4o")).isEmpty();
		assertThat(texts(model("gpt-4o-mini") + " .outcome-cell.throttled")).hasSize(1);
		assertThat(text(model("gpt-4o-mini") + " .tally")).isEqualTo("1 rate limited · 1 skipped");
		assertThat(text(model("gpt-4o"))).contains("not called yet").contains("no calls in the last 5 min");
		assertThat(text(model("claude-haiku") + " .state")).isEqualTo("up");

		// The cooldown as time left, counting down between polls, never a raw timestamp.
		assertThat(attributes(model("gpt-4o-mini"), "data-state")).containsExactly("COOLING_DOWN");
		assertThat(text(model("gpt-4o-mini") + " .state")).isEqualTo("cooling down");
		int left = secondsLeft();
		assertThat(left).isBetween(30, 55);
		assertThat(text("#models")).doesNotContainPattern("\\d{4}-\\d{2}-\\d{2}T");
		wait.until((page) -> secondsLeft() < left);

		// Hops as from→to counts with their reasons.
		assertThat(attributes("#hop-counts tbody tr", "data-from")).containsExactly("gpt-4o-mini");
		assertThat(attributes("#hop-counts tbody tr", "data-to")).containsExactly("claude-haiku");
		assertThat(text("#hop-counts tbody tr .hop-route")).isEqualTo("gpt-4o-mini → claude-haiku");
		assertThat(text("#hop-counts tbody tr .hop-count")).isEqualTo("2");
		assertThat(text("#hop-counts tbody tr .hop-reasons")).contains("rate_limit ×1").contains("cooldown ×1");
		assertThat(this.browser.findElement(By.id("no-hops")).isDisplayed()).isFalse();

		for (int i = 0; i < 4; i++) {
			send(wait, "What is a fallback chain? (" + (i + 1) + ")");
		}
		wait.until((page) -> outcomes("claude-haiku").size() == 6);
		File screenshot = ((TakesScreenshot) this.browser).getScreenshotAs(OutputType.FILE);
		Path target = Path.of("target", "browser", "live-page.png");
		Files.createDirectories(target.getParent());
		Files.copy(screenshot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
	}

	private void open(WebDriverWait wait) {
		this.browser.get("http://127.0.0.1:" + this.port + "/");
		wait.until((page) -> !page.findElements(By.cssSelector("#policy option")).isEmpty());
		wait.until((page) -> !page.findElements(By.cssSelector("#models .model[data-model='gpt-4o-mini']")).isEmpty());
	}

	private void send(WebDriverWait wait, String text) {
		WebElement prompt = this.browser.findElement(By.id("prompt"));
		prompt.clear();
		prompt.sendKeys(text);
		this.browser.findElement(By.id("send")).click();
		wait.until((page) -> page.findElement(By.id("answer")).getText().contains(text));
		wait.until((page) -> page.findElements(By.cssSelector("#attempts tbody tr")).size() == 2
				&& page.findElement(By.id("send")).isEnabled());
	}

	private static String model(String name) {
		return "#models .model[data-model='" + name + "']";
	}

	private List<String> outcomes(String model) {
		return attributes(model(model) + " .strip .outcome-cell", "data-outcome");
	}

	private String text(String css) {
		List<String> texts = texts(css);
		assertThat(texts).as(css).hasSize(1);
		return texts.get(0);
	}

	@SuppressWarnings("unchecked")
	private List<String> texts(String css) {
		return (List<String>) ((JavascriptExecutor) this.browser).executeScript(
				"return [...document.querySelectorAll(arguments[0])].map((e) => e.textContent)", css);
	}

	@SuppressWarnings("unchecked")
	private List<String> attributes(String css, String attribute) {
		return (List<String>) ((JavascriptExecutor) this.browser).executeScript(
				"return [...document.querySelectorAll(arguments[0])].map((e) => e.getAttribute(arguments[1]))", css,
				attribute);
	}

	private int secondsLeft() {
		String text = text(model("gpt-4o-mini") + " .cooldown");
		Matcher matcher = Pattern.compile("^cools for (\\d+) s after rate_limit$").matcher(text);
		assertThat(matcher.matches()).as("countdown text '%s'", text).isTrue();
		return Integer.parseInt(matcher.group(1));
	}

}
