package io.upshift.source;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The characters of a file before it is parsed as YAML: bytes that are not UTF-8, and raw control
 * characters, each reported at its line and column. YAML itself refuses most control characters,
 * but says only that the file holds one; and it takes the bidi embeddings, overrides and isolates
 * as text, which show a line in another order than it reads (and a name that holds one would
 * rewrite a terminal's output if it were printed as it is). A character that is meant can be
 * written as an escape in a double-quoted string ({@code "\e"}, {@code "\u202e"}): it is then shown
 * escaped wherever it is printed.
 *
 * <p>Lines are counted as editors count them: a line break, a carriage return and line break, or a
 * carriage return alone end a line; a column is a count of characters (code points) from 1.
 */
final class Characters {
  private Characters() {}

  /** Problems reported per file and kind; the rest are counted in one last problem. */
  private static final int SHOWN = 10;

  /** What a scan found. */
  enum Found {
    /** Nothing wrong. */
    NOTHING,
    /** Characters YAML takes but that are refused here: the file can still be parsed. */
    REFUSED,
    /** Bytes or characters YAML cannot read: parsing would say no more. */
    UNREADABLE
  }

  /** Whether YAML refuses a character in a file (YAML 1.1's printable set, less nothing). */
  static boolean unreadable(int c) {
    return (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
        || (c >= 0x7f && c <= 0x9f) // DEL and the C1 controls, NEL (a YAML line break) too
        || (c >= 0xd800 && c <= 0xdfff)
        || c == 0xfffe
        || c == 0xffff;
  }

  /** Whether a character is refused though YAML reads it: the bidi controls. */
  static boolean refused(int c) {
    return (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
  }

  /** Checks text already read; reports what it finds against {@code file}. */
  static Found scan(Path file, String text, Problems problems) {
    int i = 0;
    int n = text.length();
    while (i < n) {
      char c = text.charAt(i);
      if (c < 0x20 || c >= 0x7f) {
        break; // the usual text is all ASCII, tabs and line breaks: nothing to track
      }
      i++;
    }
    if (i == n) {
      return Found.NOTHING;
    }
    Scanner s = new Scanner(file, problems);
    s.feed(text, 0, n);
    return s.finish();
  }

  /**
   * Reads a file as a stream and reports its bytes that are not UTF-8 and its control characters,
   * each at its place, without holding it whole.
   */
  static Found scan(Path file, Problems problems) throws IOException {
    Scanner s = new Scanner(file, problems);
    CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.allocate(64 * 1024);
    CharBuffer out = CharBuffer.allocate(64 * 1024);
    try (InputStream stream = Files.newInputStream(file)) {
      boolean end = false;
      while (true) {
        if (!end) {
          int read = stream.read(in.array(), in.position(), in.remaining());
          if (read < 0) {
            end = true;
          } else {
            in.position(in.position() + read);
          }
        }
        in.flip();
        CoderResult r = decoder.decode(in, out, end);
        out.flip();
        s.feed(out, 0, out.length());
        out.clear();
        if (r.isError()) {
          s.badByte(in.get(in.position()) & 0xff);
          in.position(in.position() + r.length()); // go on after it, to report the next one
        }
        in.compact();
        if (end && !r.isError() && in.position() == 0) {
          if (decoder.flush(out).isUnderflow()) {
            break;
          }
        }
      }
    }
    return s.finish();
  }

  /** Follows lines and columns through the characters of a file and reports what it finds. */
  private static final class Scanner {
    private final Path file;
    private final Problems problems;
    private int line = 1;
    private int column = 1;
    private boolean afterCarriageReturn;
    private char highSurrogate;
    private int badBytes;
    private int controls;
    private Position firstUnshownByte;
    private Position firstUnshownControl;
    private Found found = Found.NOTHING;

    Scanner(Path file, Problems problems) {
      this.file = file;
      this.problems = problems;
    }

    void feed(CharSequence text, int from, int to) {
      for (int i = from; i < to; i++) {
        char c = text.charAt(i);
        if (highSurrogate != 0) {
          char high = highSurrogate;
          highSurrogate = 0;
          if (Character.isLowSurrogate(c)) {
            column++; // one character in two chars
            continue;
          }
          control(high);
          column++;
        }
        if (c == '\n') {
          if (!afterCarriageReturn) {
            line++;
          }
          column = 1;
          afterCarriageReturn = false;
          continue;
        }
        if (afterCarriageReturn) {
          afterCarriageReturn = false;
        }
        if (c == '\r') {
          line++;
          column = 1;
          afterCarriageReturn = true;
          continue;
        }
        if (Character.isHighSurrogate(c)) {
          highSurrogate = c;
          continue;
        }
        if (unreadable(c) || refused(c)) {
          control(c);
        }
        column++;
      }
    }

    private void control(char c) {
      found = unreadable(c) || found == Found.UNREADABLE ? Found.UNREADABLE : Found.REFUSED;
      if (++controls > SHOWN) {
        if (firstUnshownControl == null) {
          firstUnshownControl = new Position(file, line, column);
        }
        return;
      }
      problems.error(
          new Position(file, line, column),
          "control-character",
          "a raw control character, " + describe(c) + ", in the file",
          "remove it; if it is meant, write it as an escape in a double-quoted string, e.g. \"\\e\""
              + " or \"\\u202e\" (it is shown escaped wherever it is printed)");
    }

    void badByte(int b) {
      found = Found.UNREADABLE;
      if (++badBytes > SHOWN) {
        if (firstUnshownByte == null) {
          firstUnshownByte = new Position(file, line, column);
        }
        column++;
        return;
      }
      problems.error(
          new Position(file, line, column),
          "not-utf8",
          "the file is not UTF-8 text: byte 0x"
              + Integer.toHexString(0x100 | b).substring(1).toUpperCase(Locale.ROOT)
              + " here does not make a UTF-8 character",
          "save the file as UTF-8, e.g. `iconv -f latin1 -t utf-8`");
      column++;
    }

    Found finish() {
      if (highSurrogate != 0) {
        control(highSurrogate);
      }
      if (badBytes > SHOWN) {
        problems.error(
            firstUnshownByte,
            "not-utf8",
            "and " + (badBytes - SHOWN) + " more bytes that are not UTF-8 from here on",
            "save the file as UTF-8");
      }
      if (controls > SHOWN) {
        problems.error(
            firstUnshownControl,
            "control-character",
            "and " + (controls - SHOWN) + " more raw control characters from here on",
            "remove them, or write each as an escape in a double-quoted string");
      }
      return found;
    }
  }

  /**
   * A character as a person recognises it: its code point, and its name when it has a short one.
   */
  static String describe(char c) {
    String code = "U+" + Integer.toHexString(0x10000 | c).substring(1).toUpperCase(Locale.ROOT);
    String name =
        switch (c) {
          case 0 -> "NUL";
          case 7 -> "BEL, the bell";
          case 8 -> "BS, a backspace";
          case 0x1b -> "ESC, which starts a terminal's escape sequences";
          case 0x7f -> "DEL";
          case 0x85 -> "NEL, a line break to YAML";
          case 0x9b -> "CSI, which starts a terminal's control sequences";
          case 0x202a, 0x202b, 0x202c, 0x202d, 0x202e ->
              "a bidi embedding or override, which shows text in another order than it reads";
          case 0x2066, 0x2067, 0x2068, 0x2069 ->
              "a bidi isolate, which shows text in another order than it reads";
          default -> null;
        };
    return name == null ? code : code + " (" + name + ")";
  }
}
