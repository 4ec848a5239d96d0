package io.upshift.report;

import io.upshift.plan.DurationModel;
import io.upshift.source.Terminal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** A small HTML writer for the report: escaped text, tables and times, into one buffer. */
public final class Html {
  private static final DateTimeFormatter WALL =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

  private final StringBuilder b = new StringBuilder(1 << 16);

  /** Appends markup as is. */
  Html raw(String markup) {
    b.append(markup);
    return this;
  }

  /** Appends text, escaped. */
  Html text(String text) {
    b.append(esc(text));
    return this;
  }

  /** Appends {@code <tag class=cls>text</tag>} with the text escaped. */
  Html el(String tag, String cls, String text) {
    b.append('<').append(tag);
    if (cls != null) {
      b.append(" class=\"").append(cls).append('"');
    }
    b.append('>').append(esc(text)).append("</").append(tag).append('>');
    return this;
  }

  /** Appends a table row of escaped cells; a cell starting with {@code #} is right-aligned. */
  Html row(String... cells) {
    b.append("<tr>");
    for (String c : cells) {
      if (c != null && c.startsWith("#")) {
        b.append("<td class=\"n\">").append(esc(c.substring(1))).append("</td>");
      } else {
        b.append("<td>").append(esc(c)).append("</td>");
      }
    }
    b.append("</tr>\n");
    return this;
  }

  /** Appends a table head row. */
  Html head(String... cells) {
    b.append("<thead><tr>");
    for (String c : cells) {
      b.append("<th>").append(esc(c)).append("</th>");
    }
    b.append("</tr></thead>\n");
    return this;
  }

  @Override
  public String toString() {
    return b.toString();
  }

  /**
   * Text escaped for HTML; control characters and bidi overrides shown as their escapes, as on a
   * terminal ({@link Terminal#safeLines}): line breaks and tabs kept, a Windows line end made one.
   */
  public static String esc(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder out = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> {
          if (!Terminal.escaped(c) || c == '\n' || c == '\t') {
            out.append(c);
          } else if (c != '\r' || i + 1 >= s.length() || s.charAt(i + 1) != '\n') {
            out.append(Terminal.escape(c)); // shown as on a terminal: \u001b, \u202e, \r
          }
        }
      }
    }
    return out.toString();
  }

  /** A moment by the wall clock, or empty when unknown. */
  static String wall(long epochMillis) {
    return epochMillis < 0 ? "" : WALL.format(Instant.ofEpochMilli(epochMillis));
  }

  /** A length of time: {@code 43m24s}, {@code 5h51m}, {@code 0s}. */
  static String length(long millis) {
    return DurationModel.format(Math.max(0, millis));
  }
}
