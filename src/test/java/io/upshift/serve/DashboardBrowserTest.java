package io.upshift.serve;

import static org.assertj.core.api.Assertions.assertThat;

import io.upshift.Cli;
import io.upshift.journal.Control;
import io.upshift.journal.JdbcJournal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in headless Chromium: a run page follows a rehearsal as it is journaled, without
 * reloading; each steering button records its request with the token (the pause is carried out by
 * the run), records an approval exactly as {@code upshift approve} does, and is refused without the
 * token. Plan text reaches the page escaped. Screenshots are kept under
 * target/dashboard-screenshots.
 */
class DashboardBrowserTest {
  static final String TOKEN = "browser-test-token-0123456789";
  static final Path SHOTS = Path.of("target", "dashboard-screenshots");
  static final Duration WAIT = Duration.ofSeconds(90); // a loaded machine is slow

  @TempDir Path dir;

  @Test
  void watchAndSteerRunsFromTheBrowser() throws Exception {
    Path tokenFile = dir.resolve("token");
    Files.writeString(tokenFile, TOKEN + "\n");
    Path journal = dir.resolve("journal.db");
    String hostile = "Two <img src=x onerror=\"window.pwned=1\">";
    Files.createDirectories(SHOTS);
    try (Rehearsal a =
            new Rehearsal(
                dir.resolve("a"),
                journal,
                "run-a",
                Rehearsal.plan("watched", "One", hostile, "Three"),
                3,
                40,
                150);
        Rehearsal b =
            new Rehearsal(
                dir.resolve("b"), journal, "run-b", Rehearsal.plan("gated", "Gate one"), 2, 10, 0);
        Dashboard d =
            Dashboard.start(
                () -> JdbcJournal.sqlite(journal),
                new Dashboard.Options("127.0.0.1:0", tokenFile, null))) {
      b.start();
      assertThat(b.await(60_000).status().word()).isEqualTo("paused"); // at its gate
      a.start();
      ChromeDriver browser = Browser.start(dir.resolve("profile"));
      try {
        watchRunA(browser, d, a, hostile);
        steerAtTheGate(browser, d, b, journal);
        refusedWithoutToken(browser, d, a, b);
      } finally {
        browser.quit();
      }
    }
  }

  private void watchRunA(ChromeDriver browser, Dashboard d, Rehearsal a, String hostile)
      throws Exception {
    browser.get(d.url() + "/runs/run-a#token=" + TOKEN);
    WebDriverWait wait = waiting(browser);
    wait.until(ExpectedConditions.presenceOfElementLocated(By.id("status-line")));
    wait.until(ExpectedConditions.textToBe(By.id("mode"), "steering enabled"));
    assertThat(browser.getCurrentUrl()).doesNotContain(TOKEN); // taken out of the address
    JavascriptExecutor js = browser;
    js.executeScript("window.notReloaded = 42;");
    // the page follows the run: the event number on screen goes up, pushed by the server
    List<Long> seen = new ArrayList<>();
    long deadline = System.currentTimeMillis() + WAIT.toMillis();
    while (seen.size() < 4 && System.currentTimeMillis() < deadline) {
      long seq =
          Long.parseLong(
              String.valueOf(
                  js.executeScript("return document.getElementById('status-line').dataset.seq")));
      if (seen.isEmpty() || seq > seen.get(seen.size() - 1)) {
        seen.add(seq);
      }
      Thread.sleep(200);
    }
    assertThat(seen).as("event numbers seen on the page").hasSizeGreaterThanOrEqualTo(4);
    assertThat(js.executeScript("return window.notReloaded")).isEqualTo(42L);
    // hosts are aggregated: one row per site and per cell, not one per host
    assertThat(browser.findElements(By.cssSelector("#part-hosts tr.cell"))).hasSize(3);
    assertThat(browser.findElements(By.cssSelector("#part-hosts tr.site"))).hasSize(1);
    // plan text is shown as text
    assertThat(browser.findElement(By.id("part-stages")).getText()).contains(hostile);
    assertThat(browser.findElements(By.cssSelector("#part-stages img"))).isEmpty();
    assertThat(js.executeScript("return window.pwned === undefined")).isEqualTo(true);

    browser.findElement(By.id("by")).sendKeys("alice");
    browser.findElement(By.id("comment")).sendKeys("maintenance window");
    assertThat(act(browser, "pause")).isEqualTo("200");
    // the run's driver carries the pause out; the page shows it without a reload
    wait.until(ExpectedConditions.attributeToBe(By.id("status-line"), "data-status", "paused"));
    assertThat(a.await(WAIT.toMillis()).status().word()).isEqualTo("paused");
    // the driver stopped at the pause: resuming needs a process to drive the run, as with
    // `upshift resume`, and the page says so
    assertThat(act(browser, "resume")).isEqualTo("409");
    assertThat(browser.findElement(By.id("steer-result")).getText())
        .contains("upshift resume run-a");
    assertThat(act(browser, "abort")).isEqualTo("200");
    assertThat(act(browser, "abort-undo")).isEqualTo("200");
    // no gate is waiting: refused, with the reason
    assertThat(act(browser, "approve")).isEqualTo("409");
    assertThat(browser.findElement(By.id("steer-result")).getText())
        .contains("not waiting for an approval");
    assertThat(act(browser, "reject")).isEqualTo("409");
    List<Control> pending = a.journal.pending("run-a");
    assertThat(pending)
        .extracting(Control::kind)
        .containsExactly(Control.Kind.ABORT, Control.Kind.ABORT_UNDO);
    assertThat(pending).allSatisfy(c -> assertThat(c.by()).isEqualTo("alice"));
    assertThat(pending).allSatisfy(c -> assertThat(c.comment()).isEqualTo("maintenance window"));
    screenshot(browser, "run-paused.png");
  }

  private void steerAtTheGate(ChromeDriver browser, Dashboard d, Rehearsal b, Path journal)
      throws Exception {
    browser.get(d.url() + "/runs/run-b");
    WebDriverWait wait = waiting(browser);
    wait.until(ExpectedConditions.attributeToBe(By.id("gate"), "data-gate", "0.0"));
    assertThat(browser.findElement(By.id("gate")).getText()).contains("Waiting for approval");
    browser.findElement(By.id("by")).sendKeys("alice");
    browser.findElement(By.id("comment")).sendKeys("checked the canary");
    assertThat(act(browser, "approve")).isEqualTo("200");
    screenshot(browser, "run-gate-approved.png");
    // the same act from the command line records the same request
    Cli.Result cli =
        Cli.run(
            "approve",
            "run-b",
            "--journal",
            journal.toString(),
            "--by",
            "alice",
            "--comment",
            "checked the canary");
    assertThat(cli.code()).as(cli.err()).isZero();
    List<Control> pending = b.journal.pending("run-b");
    assertThat(pending).hasSize(2);
    Control web = pending.get(0);
    Control term = pending.get(1);
    assertThat(web.kind()).isEqualTo(Control.Kind.APPROVE);
    assertThat(List.of(web.run(), web.kind(), web.by(), web.comment(), web.gate()))
        .isEqualTo(List.of(term.run(), term.kind(), term.by(), term.comment(), term.gate()));
    assertThat(act(browser, "reject")).isEqualTo("200");
    Control reject = b.journal.pending("run-b").get(2);
    assertThat(reject.kind()).isEqualTo(Control.Kind.ABORT);
    assertThat(reject.comment()).isEqualTo("rejected the gate at step 0.0: checked the canary");
  }

  private void refusedWithoutToken(ChromeDriver browser, Dashboard d, Rehearsal a, Rehearsal b)
      throws Exception {
    int beforeA = a.journal.pending("run-a").size();
    int beforeB = b.journal.pending("run-b").size();
    ((JavascriptExecutor) browser).executeScript("sessionStorage.clear();");
    browser.get(d.url() + "/runs/run-b");
    WebDriverWait wait = waiting(browser);
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("mode"), "read-only"));
    browser.findElement(By.id("by")).sendKeys("mallory");
    for (String act : List.of("pause", "resume", "abort", "abort-undo", "approve", "reject")) {
      assertThat(act(browser, act)).as(act + " without a token").isEqualTo("401");
      assertThat(browser.findElement(By.id("steer-result")).getText()).contains("read-only");
    }
    // a wrong token: the page says it was refused, and stays read-only
    browser.findElement(By.id("token")).sendKeys("not-the-token-0123456789");
    browser.findElement(By.cssSelector("#token-form button")).click();
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("mode"), "refused"));
    assertThat(act(browser, "pause")).isEqualTo("401");
    screenshot(browser, "read-only.png");
    assertThat(a.journal.pending("run-a")).hasSize(beforeA);
    assertThat(b.journal.pending("run-b")).hasSize(beforeB);
  }

  /** A wait that looks again when a part of the page was replaced while it looked. */
  private static WebDriverWait waiting(WebDriver browser) {
    WebDriverWait w = new WebDriverWait(browser, WAIT);
    w.ignoring(StaleElementReferenceException.class);
    return w;
  }

  /** Clicks a steering button (confirming when asked) and returns the HTTP status shown. */
  private static String act(ChromeDriver browser, String act) {
    ((JavascriptExecutor) browser)
        .executeScript("document.getElementById('steer-result').dataset.status = '';");
    browser.findElement(By.id("act-" + act)).click();
    if (act.startsWith("abort") || act.equals("reject")) {
      waiting(browser).until(ExpectedConditions.alertIsPresent()).accept();
    }
    WebDriverWait wait = waiting(browser);
    wait.until(
        (WebDriver w) ->
            !w.findElement(By.id("steer-result")).getAttribute("data-status").isEmpty());
    return browser.findElement(By.id("steer-result")).getAttribute("data-status");
  }

  private static void screenshot(ChromeDriver browser, String name) throws Exception {
    Path shot = browser.getScreenshotAs(OutputType.FILE).toPath();
    Files.copy(shot, SHOTS.resolve(name), StandardCopyOption.REPLACE_EXISTING);
  }
}
