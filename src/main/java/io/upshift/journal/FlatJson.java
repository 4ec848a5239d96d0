package io.upshift.journal;

import java.util.Arrays;

/**
 * The small JSON objects of event bodies, written and read by hand: one level, with whole numbers,
 * strings, booleans and lists of whole numbers. A general JSON library costs more per event than
 * the rest of a resume together; the text stays standard JSON, readable by any tool.
 */
final class FlatJson {
  private FlatJson() {}

  /** Builds one object. */
  static final class Writer {
    private final StringBuilder b = new StringBuilder(96).append('{');

    private StringBuilder name(String name) {
      if (b.length() > 1) {
        b.append(',');
      }
      return b.append('"').append(name).append("\":");
    }

    Writer number(String name, long value) {
      name(name).append(value);
      return this;
    }

    Writer bool(String name, boolean value) {
      name(name).append(value);
      return this;
    }

    Writer text(String name, String value) {
      name(name);
      quote(b, value);
      return this;
    }

    Writer numbers(String name, int[] values) {
      name(name).append('[');
      for (int i = 0; i < values.length; i++) {
        if (i > 0) {
          b.append(',');
        }
        b.append(values[i]);
      }
      b.append(']');
      return this;
    }

    String end() {
      return b.append('}').toString();
    }
  }

  static void quote(StringBuilder b, String s) {
    b.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20 || c == 0x2028 || c == 0x2029) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    b.append('"');
  }

  /**
   * The fields of one object, in order. Names stay in the source text (compared in place, never
   * copied); whole numbers are kept unboxed; other values are String, Boolean or int[].
   */
  static final class Fields {
    private final String source;
    private int[] nameStart = new int[12];
    private int[] nameLength = new int[12];
    private long[] numbers = new long[12];
    private Object[] values = new Object[12];
    private int size;

    Fields(String source) {
      this.source = source;
    }

    private int find(String name) {
      for (int i = 0; i < size; i++) {
        if (nameLength[i] == name.length()
            && source.regionMatches(nameStart[i], name, 0, name.length())) {
          return i;
        }
      }
      return -1;
    }

    boolean has(String name) {
      return find(name) >= 0;
    }

    /** The value: a Long for a number, else as read; null when absent. */
    Object get(String name) {
      int i = find(name);
      return i < 0 ? null : values[i] == NUMBER ? (Object) numbers[i] : values[i];
    }

    /** The field's value when it is a number, else {@link #NOT_A_NUMBER}. */
    long number(String name) {
      int i = find(name);
      return i < 0 || values[i] != NUMBER ? NOT_A_NUMBER : numbers[i];
    }

    private void add(int start, int length, long number, Object value) {
      if (size == nameStart.length) {
        nameStart = Arrays.copyOf(nameStart, size * 2);
        nameLength = Arrays.copyOf(nameLength, size * 2);
        numbers = Arrays.copyOf(numbers, size * 2);
        values = Arrays.copyOf(values, size * 2);
      }
      nameStart[size] = start;
      nameLength[size] = length;
      numbers[size] = number;
      values[size++] = value;
    }
  }

  /** What {@link Fields#number} returns for a field that is absent or not a number. */
  static final long NOT_A_NUMBER = Long.MIN_VALUE;

  /** Marks a number among the values. */
  private static final Object NUMBER = new Object();

  /** Thrown on text that is not such an object. */
  static final class Malformed extends Exception {
    Malformed(String message) {
      super(message);
    }
  }

  /** Reads one object; nested objects and lists of other than whole numbers are refused. */
  static Fields parse(String s) throws Malformed {
    Fields f = new Fields(s);
    int[] pos = {skip(s, 0)};
    expect(s, pos, '{');
    pos[0] = skip(s, pos[0]);
    if (peek(s, pos) == '}') {
      return f;
    }
    while (true) {
      pos[0] = skip(s, pos[0]);
      expect(s, pos, '"');
      int nameStart = pos[0];
      int nameEnd = s.indexOf('"', nameStart);
      if (nameEnd < 0 || s.lastIndexOf('\\', nameEnd) >= nameStart) {
        throw new Malformed("a field name with escapes or without its end at " + nameStart);
      }
      pos[0] = skip(s, nameEnd + 1);
      expect(s, pos, ':');
      pos[0] = skip(s, pos[0]);
      char c0 = peek(s, pos);
      if (c0 == '-' || (c0 >= '0' && c0 <= '9')) {
        f.add(nameStart, nameEnd - nameStart, number(s, pos), NUMBER);
      } else {
        f.add(nameStart, nameEnd - nameStart, 0, value(s, pos));
      }
      pos[0] = skip(s, pos[0]);
      char c = next(s, pos);
      if (c == '}') {
        if (skip(s, pos[0]) != s.length()) {
          throw new Malformed("text after the object");
        }
        return f;
      }
      if (c != ',') {
        throw new Malformed("expected , or } at " + (pos[0] - 1));
      }
    }
  }

  private static Object value(String s, int[] pos) throws Malformed {
    char c = peek(s, pos);
    switch (c) {
      case '"' -> {
        return string(s, pos);
      }
      case 't' -> {
        word(s, pos, "true");
        return Boolean.TRUE;
      }
      case 'f' -> {
        word(s, pos, "false");
        return Boolean.FALSE;
      }
      case '[' -> {
        pos[0]++;
        int[] out = new int[8];
        int n = 0;
        pos[0] = skip(s, pos[0]);
        if (peek(s, pos) == ']') {
          pos[0]++;
          return new int[0];
        }
        while (true) {
          pos[0] = skip(s, pos[0]);
          long v = number(s, pos);
          if (v != (int) v) {
            throw new Malformed("a list value out of range");
          }
          if (n == out.length) {
            out = Arrays.copyOf(out, n * 2);
          }
          out[n++] = (int) v;
          pos[0] = skip(s, pos[0]);
          char d = next(s, pos);
          if (d == ']') {
            return Arrays.copyOf(out, n);
          }
          if (d != ',') {
            throw new Malformed("expected , or ] at " + (pos[0] - 1));
          }
        }
      }
      default -> {
        return number(s, pos);
      }
    }
  }

  private static long number(String s, int[] pos) throws Malformed {
    int i = pos[0];
    boolean negative = i < s.length() && s.charAt(i) == '-';
    if (negative) {
      i++;
    }
    int start = i;
    long v = 0;
    while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
      if (i - start >= 18) {
        throw new Malformed("a number too long at " + start);
      }
      v = v * 10 + (s.charAt(i) - '0');
      i++;
    }
    if (i == start) {
      throw new Malformed("expected a value at " + pos[0]);
    }
    pos[0] = i;
    return negative ? -v : v;
  }

  private static String string(String s, int[] pos) throws Malformed {
    expect(s, pos, '"');
    int start = pos[0];
    int i = start;
    while (i < s.length() && s.charAt(i) != '"' && s.charAt(i) != '\\') {
      i++;
    }
    if (i < s.length() && s.charAt(i) == '"') {
      pos[0] = i + 1;
      return s.substring(start, i);
    }
    StringBuilder b = new StringBuilder(s.substring(start, i));
    while (true) {
      if (i >= s.length()) {
        throw new Malformed("unterminated string");
      }
      char c = s.charAt(i++);
      if (c == '"') {
        pos[0] = i;
        return b.toString();
      }
      if (c != '\\') {
        b.append(c);
        continue;
      }
      if (i >= s.length()) {
        throw new Malformed("unterminated string");
      }
      char e = s.charAt(i++);
      switch (e) {
        case '"', '\\', '/' -> b.append(e);
        case 'n' -> b.append('\n');
        case 'r' -> b.append('\r');
        case 't' -> b.append('\t');
        case 'b' -> b.append('\b');
        case 'f' -> b.append('\f');
        case 'u' -> {
          if (i + 4 > s.length()) {
            throw new Malformed("a short \\u escape");
          }
          try {
            b.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
          } catch (NumberFormatException x) {
            throw new Malformed("a bad \\u escape");
          }
          i += 4;
        }
        default -> throw new Malformed("a bad escape \\" + e);
      }
    }
  }

  private static void word(String s, int[] pos, String w) throws Malformed {
    if (!s.startsWith(w, pos[0])) {
      throw new Malformed("expected " + w + " at " + pos[0]);
    }
    pos[0] += w.length();
  }

  private static int skip(String s, int i) {
    while (i < s.length()) {
      char c = s.charAt(i);
      if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
        break;
      }
      i++;
    }
    return i;
  }

  private static char peek(String s, int[] pos) throws Malformed {
    if (pos[0] >= s.length()) {
      throw new Malformed("the text ends too early");
    }
    return s.charAt(pos[0]);
  }

  private static char next(String s, int[] pos) throws Malformed {
    char c = peek(s, pos);
    pos[0]++;
    return c;
  }

  private static void expect(String s, int[] pos, char c) throws Malformed {
    if (next(s, pos) != c) {
      throw new Malformed("expected " + c + " at " + (pos[0] - 1));
    }
  }
}
