package io.upshift.plan;

import io.upshift.inventory.Host;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Text with {@code {{name}}} placeholders, as written in {@code run:}, {@code command:} and check
 * values. Every value placed into a command goes through a quoting function chosen by the caller
 * (POSIX shell quoting for commands, URL encoding for URLs), so a host name or label can never
 * become code.
 */
public final class Template {
  private static final Pattern VAR = Pattern.compile("\\{\\{\\s*([A-Za-z][A-Za-z0-9_.-]*)\\s*}}");

  /** Names every template may use; labels add {@code label.NAME}. */
  public static final Set<String> BUILT_IN =
      Set.of("host", "address", "site", "cell", "os", "version", "from", "to", "stage", "step");

  private Template() {}

  /** The placeholder names used in {@code text}. */
  public static Set<String> names(String text) {
    Set<String> out = new LinkedHashSet<>();
    Matcher m = VAR.matcher(text);
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }

  /**
   * Replaces each placeholder with {@code quote} applied to its value; unknown names stay empty.
   */
  public static String render(
      String text, Map<String, String> values, UnaryOperator<String> quote) {
    Matcher m = VAR.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String value = values.getOrDefault(m.group(1), "");
      m.appendReplacement(out, Matcher.quoteReplacement(quote.apply(value)));
    }
    m.appendTail(out);
    return out.toString();
  }

  /** The values of the placeholders for one step on one host. */
  public static Map<String, String> values(Plan plan, Step step, Host host) {
    Map<String, String> v = new java.util.HashMap<>();
    v.put("host", host.name());
    v.put("address", host.address());
    v.put("site", host.site());
    v.put("cell", host.cell());
    v.put("os", host.os());
    v.put("version", step.version() == null ? "" : step.version());
    v.put("from", plan.from() == null ? "" : plan.from());
    v.put("to", plan.to() == null ? "" : plan.to());
    v.put("stage", plan.stages().get(step.stage()).name());
    v.put("step", step.name());
    host.labels().forEach((k, val) -> v.put("label." + k, val));
    return v;
  }

  /** POSIX shell quoting: the value as one word, whatever it holds. */
  public static String shellQuote(String value) {
    return "'" + value.replace("'", "'\\''") + "'";
  }

  /** Percent-encoding for a value placed in a URL. */
  public static String urlEncode(String value) {
    return java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8)
        .replace("+", "%20");
  }
}
