package io.upshift.snapshot;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Rewrites a JSON document one value per line with object keys sorted, so that two captures of the
 * same data compare equal whatever the order of keys and spacing, and a change shows as the lines
 * that changed. Text that is not JSON is left as it is.
 */
public final class Json {
  private final String s;
  private int i;

  private Json(String s) {
    this.s = s;
  }

  /** The normalised form of {@code text}, or {@code text} unchanged when it is not JSON. */
  public static String normalise(String text) {
    Json p = new Json(text);
    try {
      p.space();
      Object v = p.value(0);
      p.space();
      if (p.i != text.length()) {
        return text;
      }
      StringBuilder out = new StringBuilder();
      print(v, "", out);
      return out.append('\n').toString();
    } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
      return text;
    }
  }

  private Object value(int depth) {
    if (depth > 200) {
      throw new IllegalArgumentException("too deep");
    }
    char c = s.charAt(i);
    switch (c) {
      case '{' -> {
        i++;
        Map<String, Object> m = new TreeMap<>();
        space();
        if (s.charAt(i) == '}') {
          i++;
          return m;
        }
        while (true) {
          space();
          String k = string();
          space();
          expect(':');
          space();
          m.put(k, value(depth + 1));
          space();
          if (s.charAt(i) == ',') {
            i++;
          } else {
            expect('}');
            return m;
          }
        }
      }
      case '[' -> {
        i++;
        List<Object> l = new ArrayList<>();
        space();
        if (s.charAt(i) == ']') {
          i++;
          return l;
        }
        while (true) {
          space();
          l.add(value(depth + 1));
          space();
          if (s.charAt(i) == ',') {
            i++;
          } else {
            expect(']');
            return l;
          }
        }
      }
      case '"' -> {
        return new Literal(s.substring(i, skipString()));
      }
      default -> {
        int start = i;
        while (i < s.length() && "{}[],: \t\r\n".indexOf(s.charAt(i)) < 0) {
          i++;
        }
        String word = s.substring(start, i);
        if (!word.matches("true|false|null|-?\\d+(\\.\\d+)?([eE][+-]?\\d+)?")) {
          throw new IllegalArgumentException("not JSON");
        }
        return new Literal(word);
      }
    }
  }

  /** A scalar as it was written (strings with their quotes and escapes). */
  private record Literal(String text) {}

  private String string() {
    if (s.charAt(i) != '"') {
      throw new IllegalArgumentException("not a key");
    }
    return s.substring(i, skipString());
  }

  private int skipString() {
    int j = i + 1;
    while (s.charAt(j) != '"') {
      j += s.charAt(j) == '\\' ? 2 : 1;
    }
    i = j + 1;
    return i;
  }

  private void expect(char c) {
    if (s.charAt(i) != c) {
      throw new IllegalArgumentException("expected " + c);
    }
    i++;
  }

  private void space() {
    while (i < s.length() && " \t\r\n".indexOf(s.charAt(i)) >= 0) {
      i++;
    }
  }

  private static void print(Object v, String indent, StringBuilder out) {
    switch (v) {
      case Map<?, ?> m -> {
        if (m.isEmpty()) {
          out.append("{}");
          return;
        }
        out.append("{\n");
        int n = 0;
        for (Map.Entry<?, ?> e : m.entrySet()) {
          out.append(indent).append("  ").append(e.getKey()).append(": ");
          print(e.getValue(), indent + "  ", out);
          out.append(++n < m.size() ? ",\n" : "\n");
        }
        out.append(indent).append('}');
      }
      case List<?> l -> {
        if (l.isEmpty()) {
          out.append("[]");
          return;
        }
        out.append("[\n");
        for (int k = 0; k < l.size(); k++) {
          out.append(indent).append("  ");
          print(l.get(k), indent + "  ", out);
          out.append(k + 1 < l.size() ? ",\n" : "\n");
        }
        out.append(indent).append(']');
      }
      case Literal lit -> out.append(lit.text());
      default -> out.append(v);
    }
  }
}
