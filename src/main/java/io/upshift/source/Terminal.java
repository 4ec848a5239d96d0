package io.upshift.source;

import java.io.PrintStream;

/**
 * Text from hosts and plans made safe to show on a terminal. A host's output, a host or step name,
 * a label or a reason may hold control characters that a terminal would obey (ESC sequences that
 * retitle the window, clear the screen or rewrite what was printed; a carriage return that hides
 * the start of a line; bidi overrides that show text in another order than it reads): each is shown
 * as its escape instead, and nothing else changes. The journal keeps the bytes as they were; only
 * what is shown is escaped.
 *
 * <p>Escaped: C0 controls (but a line break and a tab where lines are meant, see {@link
 * #safeLines}), DEL, C1 controls (U+0080 to U+009F), and the bidi embeddings, overrides and
 * isolates (U+202A to U+202E, U+2066 to U+2069). A line break, carriage return and tab are shown as
 * {@code \n}, {@code \r}, {@code \t}, the others as {@code \}{@code u001b}; the same escapes JSON
 * uses, so a JSON text printed through {@link #guard} stays valid and means the same.
 */
public final class Terminal {
  private Terminal() {}

  /** One line: every control character escaped, line breaks and tabs too. */
  public static String safe(String text) {
    return escape(text, false);
  }

  /**
   * Lines: as {@link #safe}, but line breaks and tabs kept, and a carriage return before a line
   * break dropped (Windows line ends).
   */
  public static String safeLines(String text) {
    return escape(text, true);
  }

  /** Whether a character is shown escaped (in {@link #safeLines}: but for a line break or tab). */
  public static boolean escaped(int c) {
    return c < 0x20
        || (c >= 0x7f && c <= 0x9f)
        || (c >= 0x202a && c <= 0x202e)
        || (c >= 0x2066 && c <= 0x2069);
  }

  /** The escape shown for a character that {@link #escaped} says is. */
  public static String escape(char c) {
    return switch (c) {
      case '\n' -> "\\n";
      case '\r' -> "\\r";
      case '\t' -> "\\t";
      default -> String.format("\\u%04x", (int) c);
    };
  }

  private static String escape(String text, boolean lines) {
    if (text == null) {
      return "null";
    }
    int i = 0;
    while (i < text.length() && !escaped(text.charAt(i))) {
      i++;
    }
    if (i == text.length()) {
      return text; // nearly always: nothing to escape, nothing made
    }
    StringBuilder b = new StringBuilder(text.length() + 16).append(text, 0, i);
    for (; i < text.length(); i++) {
      char c = text.charAt(i);
      if (!escaped(c) || (lines && (c == '\n' || c == '\t'))) {
        b.append(c);
      } else if (lines && c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
        continue; // a Windows line end: the line break follows
      } else {
        b.append(escape(c));
      }
    }
    return b.toString();
  }

  /**
   * The last lines of a command's output, for a failure: at most {@code lines} lines and about
   * {@code chars} characters (a longer last line keeps its end), escaped ({@link #safeLines}), each
   * indented by {@code indent}; empty when the output is blank.
   */
  public static String tail(String output, int lines, int chars, String indent) {
    if (output == null || output.isBlank()) {
      return "";
    }
    String text = output.strip();
    int start = text.length();
    for (int n = 0; n < lines && start > 0; n++) {
      int before = text.lastIndexOf('\n', start - (n == 0 ? 1 : 2)); // the line break before
      if (n > 0 && text.length() - (before + 1) > chars) {
        break; // the lines kept so far are long enough
      }
      start = before + 1;
    }
    String kept = text.substring(start);
    if (kept.length() > chars) {
      kept = "…" + kept.substring(kept.length() - chars);
    }
    StringBuilder b = new StringBuilder();
    for (String line : safeLines(kept).split("\n", -1)) {
      b.append(indent).append(line.stripTrailing()).append('\n');
    }
    return b.toString();
  }

  /**
   * A stream that escapes control characters in all text printed through it ({@link #safeLines}),
   * whatever prints it: the command line prints through two, so that nothing from a host reaches
   * the terminal as it is, even where a caller forgot {@link #safe}. Bytes written as bytes pass.
   */
  public static PrintStream guard(PrintStream out) {
    return out instanceof Guard ? out : new Guard(out);
  }

  /** The stream a {@link #guard} writes to, for the control sequences of a redrawn status line. */
  public static PrintStream raw(PrintStream out) {
    return out instanceof Guard g ? g.under : out;
  }

  private static final class Guard extends PrintStream {
    private final PrintStream under;

    Guard(PrintStream under) {
      super(under, true, under.charset());
      this.under = under;
    }

    @Override
    public void print(String s) {
      super.print(safeLines(s));
    }

    @Override
    public void print(Object o) {
      print(String.valueOf(o));
    }

    @Override
    public void print(char[] s) {
      print(new String(s));
    }

    @Override
    public void print(char c) {
      print(String.valueOf(c));
    }
  }
}
