package io.upshift.verify;

import io.upshift.source.Position;
import io.upshift.source.Severity;
import io.upshift.source.Terminal;
import java.util.List;

/**
 * One way a plan can break a rule: which rule, how bad, where in the plan (stage, step, wave and
 * the file position of the step or rule), which hosts, why the rule exists and what to do.
 *
 * @param wave the wave (batch) and group where it happens, or empty when it is not about a wave
 * @param hostCount how many hosts are concerned; {@code hosts} names the first few
 */
public record Finding(
    String rule,
    Severity severity,
    String stage,
    String step,
    String wave,
    Position at,
    int hostCount,
    List<String> hosts,
    String message,
    String why,
    String hint) {

  /**
   * The compiler-style form: {@code FILE:LINE:COL: error[RULE]: message}, then details, one line
   * each: names from the plan and the inventory are shown escaped ({@link Terminal#safe}), so none
   * can break a line or reach a terminal raw.
   */
  public String render() {
    StringBuilder b = new StringBuilder();
    b.append(Terminal.safe(at + ": " + severity.word() + '[' + rule + "]: " + message));
    String where =
        stage == null
            ? ""
            : "stage `"
                + stage
                + "`"
                + (step == null ? "" : ", " + step)
                + (wave.isEmpty() ? "" : ", " + wave);
    if (!where.isEmpty()) {
      b.append("\n  at: ").append(Terminal.safe(where));
    }
    if (hostCount > 0) {
      b.append("\n  hosts: ")
          .append(hostCount)
          .append(" (")
          .append(Terminal.safe(String.join(", ", hosts)))
          .append(hostCount > hosts.size() ? ", …" : "")
          .append(')');
    }
    if (why != null && !why.isBlank()) {
      b.append("\n  why: ").append(Terminal.safe(why.strip().replaceAll("\\s+", " ")));
    }
    if (hint != null && !hint.isBlank()) {
      b.append("\n  hint: ").append(Terminal.safe(hint));
    }
    return b.toString();
  }
}
