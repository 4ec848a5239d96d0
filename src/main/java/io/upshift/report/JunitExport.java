package io.upshift.report;

import io.upshift.plan.Stage;
import io.upshift.plan.Step;
import io.upshift.plan.StepKind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.Map;

/**
 * A run's checks as JUnit XML, for CI systems that show test results: a test suite per stage, a
 * test case per step that checks (a {@code check} step, or a step with an attached check), failed
 * when a host's last check failed, with the hosts and reasons. A check that never ran is skipped.
 */
public final class JunitExport {
  private JunitExport() {}

  /** The XML document. */
  public static String render(ReportData data) {
    StringBuilder suites = new StringBuilder();
    int tests = 0;
    int failures = 0;
    int skipped = 0;
    for (Stage stage : data.plan().stages()) {
      StringBuilder cases = new StringBuilder();
      int t = 0;
      int f = 0;
      int sk = 0;
      long time = 0;
      for (Step step : stage.steps()) {
        if (step.kind() != StepKind.CHECK && !step.gated()) {
          continue;
        }
        ReportData.StepRun r = data.step(stage.index(), step.index());
        long ms = r.start < 0 ? 0 : r.end - r.start;
        time += ms;
        t++;
        cases
            .append("    <testcase classname=\"")
            .append(attr(stage.name()))
            .append("\" name=\"")
            .append(attr(step.name()))
            .append("\" time=\"")
            .append(seconds(ms))
            .append("\">\n");
        int passed = r.checkPassed.cardinality();
        int failed = r.checkFailed.cardinality();
        if (failed > 0) {
          f++;
          cases
              .append("      <failure type=\"check-failed\" message=\"")
              .append(attr(failed + " of " + (passed + failed) + " host(s) failed the check"))
              .append("\">");
          StringBuilder body = new StringBuilder();
          for (Map.Entry<Integer, String> e : r.checkReasons.entrySet()) {
            body.append(data.plan().inventory().host(e.getKey()).name())
                .append(": ")
                .append(e.getValue())
                .append('\n');
          }
          if (failed > r.checkReasons.size()) {
            body.append("... and ").append(failed - r.checkReasons.size()).append(" more\n");
          }
          cases.append(text(body.toString())).append("</failure>\n");
        } else if (passed == 0) {
          sk++;
          cases.append("      <skipped message=\"the check did not run\"/>\n");
        }
        if (passed + failed > 0) {
          cases
              .append("      <system-out>")
              .append(text(passed + " host(s) passed, " + failed + " failed\n"))
              .append("</system-out>\n");
        }
        cases.append("    </testcase>\n");
      }
      suites
          .append("  <testsuite name=\"")
          .append(attr(stage.name()))
          .append("\" tests=\"")
          .append(t)
          .append("\" failures=\"")
          .append(f)
          .append("\" errors=\"0\" skipped=\"")
          .append(sk)
          .append("\" time=\"")
          .append(seconds(time))
          .append("\">\n")
          .append(cases)
          .append("  </testsuite>\n");
      tests += t;
      failures += f;
      skipped += sk;
    }
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\""
        + attr(data.plan().name())
        + "\" tests=\""
        + tests
        + "\" failures=\""
        + failures
        + "\" errors=\"0\" skipped=\""
        + skipped
        + "\">\n"
        + suites
        + "</testsuites>\n";
  }

  /** Writes the XML to {@code file} atomically. */
  public static void write(ReportData data, Path file) throws IOException {
    Path abs = file.toAbsolutePath();
    Path tmp = abs.resolveSibling(abs.getFileName() + ".tmp");
    Files.writeString(tmp, render(data), StandardCharsets.UTF_8);
    Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private static String seconds(long millis) {
    return String.format(Locale.ROOT, "%.3f", millis / 1000.0);
  }

  private static String attr(String s) {
    return text(s).replace("\"", "&quot;").replace("\n", "&#10;");
  }

  /** Escaped for XML 1.0 text: markup characters, and control characters XML cannot hold. */
  private static String text(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '&' -> b.append("&amp;");
        default -> b.append(c < 0x20 && c != '\n' && c != '\t' ? '\uFFFD' : c);
      }
    }
    return b.toString();
  }
}
