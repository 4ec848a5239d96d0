package io.upshift.plan;

import io.upshift.inventory.Host;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Text with {@code {{name}}} placeholders, as written in {@code run:}, {@code command:} and check
 * values. Every value placed into a command is quoted for the place it stands in ({@link #shell}:
 * outside quotes, inside the plan's own double or single quotes, in a here-document; see {@link
 * ShellContext}), or URL-encoded in a URL, so that a host name, a label or a secret can never
 * become code; a place where no quoting is safe is refused.
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
   * The offsets of the placeholders in {@code text}: {@code {starts, ends}}, and their names in
   * {@code names}.
   */
  public static int[][] spans(String text, List<String> names) {
    Matcher m = VAR.matcher(text);
    List<int[]> found = new ArrayList<>();
    while (m.find()) {
      found.add(new int[] {m.start(), m.end()});
      names.add(m.group(1));
    }
    int[][] out = new int[2][found.size()];
    for (int k = 0; k < found.size(); k++) {
      out[0][k] = found.get(k)[0];
      out[1][k] = found.get(k)[1];
    }
    return out;
  }

  /**
   * A POSIX shell command with each placeholder's value quoted for the place it stands in ({@link
   * ShellContext}), then walked again to make sure that no value changed how the shell reads the
   * rest (a line of a value that would end its here-document, say).
   *
   * @param source names a placeholder's value in errors, from its name: "label `rack` of host h1"
   * @throws RenderException when a value holds a NUL, or a placeholder stands where nothing can be
   *     quoted safely (which the plan's validation reports first)
   */
  public static String shell(
      String text, Map<String, String> values, Function<String, String> source) {
    return ShellQuote.render(text, values, source);
  }

  /**
   * A PowerShell command, each value quoted by {@code quote}; every placeholder must stand outside
   * quotes.
   *
   * @throws RenderException for a placeholder in quotes, or a value holding a NUL
   */
  public static String powershell(
      String text,
      Map<String, String> values,
      UnaryOperator<String> quote,
      Function<String, String> source) {
    return ShellQuote.outsideQuotes(text, values, quote, source);
  }

  /**
   * The environment variable that carries a placeholder's value to commands ({@code label.rack}:
   * {@code UPSHIFT_LABEL_RACK}), or null for a secret or a name that makes no variable name.
   */
  public static String variable(String name) {
    if (name.startsWith("secret.")) {
      return null;
    }
    String v = "UPSHIFT_" + name.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    for (int i = 8; i < v.length(); i++) {
      char c = v.charAt(i);
      if (!(c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_')) {
        return null;
      }
    }
    return v.length() > 8 ? v : null;
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
    Map<String, String> v = new HashMap<>();
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

  /**
   * What a placeholder's value comes from, for messages that must not show it: "label `rack` of
   * host h1", "secret `db`", "the name of host h1".
   */
  public static String source(String name, String host) {
    if (name.startsWith("label.")) {
      return "label `" + name.substring(6) + "` of host " + host;
    }
    if (name.startsWith("secret.")) {
      return "secret `" + name.substring(7) + "`";
    }
    return switch (name) {
      case "host" -> "the name of host " + host;
      case "address", "site", "cell", "os" -> "the " + name + " of host " + host;
      case "version" -> "the step's `version`";
      case "from", "to" -> "the plan's `" + name + "`";
      case "stage", "step" -> "the " + name + "'s name";
      default -> "`{{" + name + "}}`";
    };
  }

  /**
   * What in a value no command can carry, in words, or null when there is nothing: a NUL ends a
   * command's text where the system reads it, and a lone UTF-16 surrogate has no bytes at all.
   */
  public static String forbidden(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '\0') {
        return "a NUL character (U+0000)";
      }
      if (Character.isSurrogate(c)) {
        boolean paired =
            Character.isHighSurrogate(c)
                && i + 1 < value.length()
                && Character.isLowSurrogate(value.charAt(i + 1));
        if (!paired) {
          return String.format("a lone surrogate (U+%04X), which is not text", (int) c);
        }
        i++;
      }
    }
    return null;
  }

  /** POSIX shell quoting: the value as one word, whatever it holds. */
  public static String shellQuote(String value) {
    return "'" + value.replace("'", "'\\''") + "'";
  }

  /** Percent-encoding for a value placed in a URL. */
  public static String urlEncode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
