package io.upshift.inventory;

import io.upshift.source.Position;
import io.upshift.source.Problems;
import io.upshift.source.Suggest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Picks hosts from the inventory. The text form is a comma-separated list of terms that must all
 * hold: {@code role=compute,cell=gva-1}. A term is {@code key=value}, {@code key!=value}, or the
 * word {@code all}; a value may list alternatives with {@code |} and use {@code *} and {@code ?}
 * wildcards: {@code cell=gva-*|bud-1}. A list of such texts in YAML means any of them.
 */
public record Selector(String text, Position at, List<List<Term>> alternatives) {

  /** One condition on one key. */
  public record Term(String key, boolean negated, List<String> values, Position at) {
    boolean matches(Host host) {
      boolean any = false;
      for (String actual : host.values(key)) {
        for (String wanted : values) {
          if (glob(wanted, actual)) {
            any = true;
            break;
          }
        }
      }
      return negated != any;
    }
  }

  /** The selector that picks every host. */
  public static Selector all(Position at) {
    return new Selector("all", at, List.of(List.of()));
  }

  /** Whether the host satisfies any alternative. */
  public boolean matches(Host host) {
    for (List<Term> terms : alternatives) {
      boolean all = true;
      for (Term t : terms) {
        if (!t.matches(host)) {
          all = false;
          break;
        }
      }
      if (all) {
        return true;
      }
    }
    return false;
  }

  /** Joins several selectors: a host is picked when any of them picks it. */
  public static Selector anyOf(List<Selector> selectors, Position at) {
    List<List<Term>> alternatives = new ArrayList<>();
    List<String> texts = new ArrayList<>();
    for (Selector s : selectors) {
      alternatives.addAll(s.alternatives);
      texts.add(s.text);
    }
    return new Selector(String.join(" or ", texts), at, alternatives);
  }

  /**
   * Parses one selector text. Problems with the syntax are reported at the offending term; the keys
   * are checked against the inventory later by {@link #checkKeys}.
   */
  public static Selector parse(String text, Position at, Problems problems) {
    List<Term> terms = new ArrayList<>();
    String trimmed = text.trim();
    if (trimmed.equals("all") || trimmed.equals("*")) {
      return new Selector(text, at, List.of(List.of()));
    }
    int offset = 0;
    for (String raw : text.split(",", -1)) {
      Position termAt = new Position(at.file(), at.line(), at.column() + offset + leading(raw));
      offset += raw.length() + 1;
      String term = raw.trim();
      int eq = term.indexOf('=');
      if (term.isEmpty() || eq <= 0 || eq == term.length() - 1) {
        problems.error(
            termAt,
            "selector-syntax",
            "cannot read selector term `" + term + "`",
            "write KEY=VALUE terms joined by commas, e.g. `role=compute,cell=gva-1`");
        continue;
      }
      boolean negated = term.charAt(eq - 1) == '!';
      String key = term.substring(0, negated ? eq - 1 : eq).trim();
      String values = term.substring(eq + 1).trim();
      List<String> alternatives = new ArrayList<>();
      for (String v : values.split("\\|")) {
        if (!v.isBlank()) {
          alternatives.add(v.trim());
        }
      }
      terms.add(new Term(key, negated, List.copyOf(alternatives), termAt));
    }
    return new Selector(text, at, List.of(List.copyOf(terms)));
  }

  /** Reports keys the inventory does not know, with a "did you mean" hint. */
  public void checkKeys(Set<String> known, Problems problems) {
    for (List<Term> terms : alternatives) {
      for (Term t : terms) {
        if (!known.contains(t.key())) {
          problems.error(
              t.at(),
              "unknown-selector",
              "unknown selector key `" + t.key() + "` in `" + text + "`",
              Suggest.hint(t.key(), known));
        }
      }
    }
  }

  private static int leading(String s) {
    int i = 0;
    while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
      i++;
    }
    return i;
  }

  static boolean isGlob(String pattern) {
    return pattern.indexOf('*') >= 0 || pattern.indexOf('?') >= 0;
  }

  static boolean glob(String pattern, String value) {
    if (!isGlob(pattern)) {
      return pattern.equals(value);
    }
    return GLOBS.computeIfAbsent(pattern, Selector::compile).matcher(value).matches();
  }

  private static final Map<String, Pattern> GLOBS = new ConcurrentHashMap<>();

  private static Pattern compile(String glob) {
    StringBuilder regex = new StringBuilder();
    for (char c : glob.toCharArray()) {
      switch (c) {
        case '*' -> regex.append(".*");
        case '?' -> regex.append('.');
        default -> regex.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return Pattern.compile(regex.toString());
  }

  @Override
  public String toString() {
    return text;
  }
}
