package io.upshift.report;

import io.upshift.DebianPackages;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Headless Chromium, to render a report as a browser would: a screenshot and the live DOM. */
public final class Chromium {
  private static final List<String> NAMES =
      List.of("chromium", "chromium-browser", "google-chrome", "google-chrome-stable");

  private Chromium() {}

  /**
   * The browser on the PATH; fails, naming the Debian package, when there is none (the report's
   * tests never skip for want of it).
   */
  public static Path find() {
    String path = System.getenv("PATH");
    for (String name : NAMES) {
      for (String dir : path == null ? new String[0] : path.split(File.pathSeparator)) {
        Path p = Path.of(dir, name);
        if (Files.isExecutable(p)) {
          return p;
        }
      }
    }
    throw DebianPackages.missing("Chromium", "chromium");
  }

  /** Renders {@code page} into a PNG of 1400x2000 pixels. */
  public static void screenshot(Path browser, Path page, Path png, Path profile) throws Exception {
    run(
        browser,
        profile,
        "--screenshot=" + png.toAbsolutePath(),
        "--window-size=1400,2000",
        page.toAbsolutePath().toUri().toString());
  }

  /** The DOM of {@code page} once its scripts ran. */
  public static String dumpDom(Path browser, Path page, Path profile) throws Exception {
    return run(browser, profile, "--dump-dom", page.toAbsolutePath().toUri().toString());
  }

  private static String run(Path browser, Path profile, String... args) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(browser.toString());
    cmd.add("--headless");
    cmd.add("--no-sandbox");
    cmd.add("--disable-gpu");
    cmd.add("--no-first-run");
    cmd.add("--user-data-dir=" + profile.toAbsolutePath());
    cmd.addAll(List.of(args));
    Path out = Files.createTempFile(profile.getParent(), "chromium", ".out");
    Process p =
        new ProcessBuilder(cmd)
            .redirectOutput(out.toFile())
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    if (!p.waitFor(90, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException("chromium did not finish in 90 s: " + cmd);
    }
    if (p.exitValue() != 0) {
      throw new IOException("chromium exited with " + p.exitValue() + ": " + cmd);
    }
    return Files.readString(out, StandardCharsets.UTF_8);
  }
}
