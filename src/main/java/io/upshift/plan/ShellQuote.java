package io.upshift.plan;

import io.upshift.plan.ShellContext.Place;
import io.upshift.plan.ShellContext.Quoting;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * Fills a command's placeholders, each value quoted for the place it stands in, and checks the
 * result: walked again, the command must read the same around every value, and no line of a value
 * may end the here-document it stands in. No value is ever sent as it is, except in a quoted
 * here-document, whose text the shell takes as it is.
 */
final class ShellQuote {
  /** Where the placeholders of each command stand, walked once per text (commands are few). */
  private static final Map<String, ShellContext.Scan> SCANS = new ConcurrentHashMap<>();

  private static final int SCANS_KEPT = 4096;

  private ShellQuote() {}

  static String render(String text, Map<String, String> values, Function<String, String> source) {
    List<String> names = new ArrayList<>();
    int[][] spans = Template.spans(text, names);
    if (names.isEmpty()) {
      return text;
    }
    List<Place> places = scan(text, spans).places();
    StringBuilder out = new StringBuilder(text.length() + 32 * names.size());
    int[] starts = new int[names.size()];
    int[] ends = new int[names.size()];
    int last = 0;
    for (int k = 0; k < names.size(); k++) {
      String name = names.get(k);
      Place place = places.get(k);
      if (!place.quoting().takesValue()) {
        throw new RenderException(misplaced(name, place));
      }
      String value = values.getOrDefault(name, "");
      String refused = refusal(place, value);
      if (refused != null) {
        throw new RenderException(source.apply(name) + " " + refused);
      }
      out.append(text, last, spans[0][k]);
      starts[k] = out.length();
      out.append(quote(place.quoting(), value));
      ends[k] = out.length();
      last = spans[1][k];
    }
    out.append(text, last, text.length());
    String rendered = out.toString();
    check(rendered, starts, ends, places, names, source);
    return rendered;
  }

  /**
   * A PowerShell command (a Windows host), each value quoted by {@code quote}: every placeholder
   * must stand outside quotes, since a value in PowerShell's double quotes would be expanded.
   */
  static String outsideQuotes(
      String text,
      Map<String, String> values,
      UnaryOperator<String> quote,
      Function<String, String> source) {
    List<String> names = new ArrayList<>();
    int[][] spans = Template.spans(text, names);
    List<Place> places = names.isEmpty() ? List.of() : scan(text, spans).places();
    for (int k = 0; k < names.size(); k++) {
      if (places.get(k).quoting() != Quoting.UNQUOTED) {
        throw new RenderException(
            misplaced(names.get(k), places.get(k))
                + " on a Windows host: put it outside quotes there");
      }
      String bad = Template.forbidden(values.getOrDefault(names.get(k), ""));
      if (bad != null) {
        throw new RenderException(
            source.apply(names.get(k)) + " holds " + bad + ", which no command can carry");
      }
    }
    return Template.render(text, values, quote);
  }

  /** Where the placeholders of {@code text} stand (cached by text). */
  static ShellContext.Scan scan(String text, int[][] spans) {
    ShellContext.Scan scan = SCANS.get(text);
    if (scan == null) {
      scan = ShellContext.scan(text, spans[0], spans[1]);
      if (SCANS.size() >= SCANS_KEPT) {
        SCANS.clear();
      }
      SCANS.put(text, scan);
    }
    return scan;
  }

  /** The value quoted for a place that takes one. */
  static String quote(Quoting quoting, String value) {
    return switch (quoting) {
      case UNQUOTED -> Template.shellQuote(value);
      case DOUBLE -> escape(value, "\\\"$`");
      case SINGLE -> value.replace("'", "'\\''");
      case HEREDOC -> escape(value, "\\$`");
      case LITERAL_HEREDOC -> value;
      default -> throw new IllegalArgumentException("no value goes " + quoting.where());
    };
  }

  private static String escape(String value, String special) {
    StringBuilder b = new StringBuilder(value.length() + 8);
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (special.indexOf(c) >= 0) {
        b.append('\\');
      }
      b.append(c);
    }
    return b.toString();
  }

  /** Why a value cannot go in its place, to follow its source's name; null when it can. */
  static String refusal(Place place, String value) {
    String bad = Template.forbidden(value);
    if (bad != null) {
      return "holds " + bad + ", which no command can carry";
    }
    if (place.stripTabs()
        && (value.contains("\n\t") || (place.lineStart() && value.startsWith("\t")))) {
      return "has a line starting with a tab, which the here-document `<<-"
          + place.delimiter()
          + "` would remove";
    }
    return null;
  }

  /** Why a placeholder's place takes no value, in words. */
  static String misplaced(String name, Place place) {
    return "`{{"
        + name
        + "}}` stands "
        + place.quoting().where()
        + (place.why() != null ? ", after " + place.why() : "")
        + ", where no value can be quoted safely";
  }

  /**
   * Walks the rendered command again: after each value the shell must be where it was before it
   * (quotes, here-document), and no line that ends a here-document may hold part of a value.
   */
  private static void check(
      String rendered,
      int[] starts,
      int[] ends,
      List<Place> places,
      List<String> names,
      Function<String, String> source) {
    ShellContext.Scan after = ShellContext.scan(rendered, ends, ends);
    for (int[] line : after.terminators()) {
      for (int k = 0; k < starts.length; k++) {
        if (starts[k] <= line[1] && ends[k] >= line[0]) {
          throw new RenderException(
              source.apply(names.get(k))
                  + " makes a line `"
                  + rendered.substring(line[0], line[1]).strip()
                  + "` that would end its here-document early and run the rest as commands");
        }
      }
    }
    for (int k = 0; k < starts.length; k++) {
      Place was = places.get(k);
      Place is = after.places().get(k);
      if (is.quoting() != was.quoting() || !Objects.equals(is.delimiter(), was.delimiter())) {
        throw new RenderException(
            source.apply(names.get(k))
                + " would change how the shell reads the command around it (it stands "
                + was.quoting().where()
                + ")");
      }
    }
  }
}
