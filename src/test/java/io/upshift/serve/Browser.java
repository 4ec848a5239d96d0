package io.upshift.serve;

import io.upshift.DebianPackages;
import io.upshift.report.Chromium;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's Chromium, headless, driven by Debian's chromedriver through Selenium: nothing is
 * downloaded, and a machine without them fails the test naming the package.
 */
final class Browser {
  private Browser() {}

  static ChromeDriver start(Path profile) {
    Path chromium = Chromium.find();
    Path driver = Path.of("/usr/bin/chromedriver");
    if (!Files.isExecutable(driver)) {
      throw DebianPackages.missing("chromedriver", "chromium-driver");
    }
    ChromeOptions options = new ChromeOptions();
    options.setBinary(chromium.toFile());
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--no-first-run",
        "--window-size=1400,2200",
        "--user-data-dir=" + profile.toAbsolutePath());
    ChromeDriverService service =
        new ChromeDriverService.Builder().usingDriverExecutable(driver.toFile()).build();
    ChromeDriver d = new ChromeDriver(service, options);
    d.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
    return d;
  }
}
