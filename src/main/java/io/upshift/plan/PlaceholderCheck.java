package io.upshift.plan;

import io.upshift.inventory.Host;
import io.upshift.inventory.Inventory;
import io.upshift.plan.ShellContext.Place;
import io.upshift.plan.ShellContext.Quoting;
import io.upshift.source.Position;
import io.upshift.source.Problems;
import io.upshift.source.Suggest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * Checks the placeholders of a plan's commands, checks and snapshots before anything runs, each
 * problem at the line and column of the placeholder: names that no host can fill, placeholders
 * standing where no value can be quoted safely ({@link ShellContext}), a secret in a quoted
 * here-document, and inventory values that no command can carry (a NUL in a label).
 */
final class PlaceholderCheck {
  /** Hosts named for one value no command can carry; the rest are counted. */
  private static final int HOSTS_NAMED = 3;

  private final Problems problems;
  private final Inventory inventory;
  private final Set<String> secrets;
  private Set<String> known;
  private final Set<String> valuesChecked = new HashSet<>();
  private final Map<Path, String> files = new HashMap<>();

  PlaceholderCheck(Problems problems, Inventory inventory, Set<String> secrets) {
    this.problems = problems;
    this.inventory = inventory;
    this.secrets = secrets;
  }

  /** What a text is read as: a shell command, or a URL or SQL query (values are not quoted). */
  enum Kind {
    COMMAND,
    OTHER
  }

  /**
   * Checks one text of the plan, which starts at {@code at} in its file.
   *
   * @param windows a host the text runs on that is a Windows host, or null
   */
  void check(String text, Position at, Kind kind, Host windows) {
    if (text == null || !text.contains("{{")) {
      return;
    }
    List<String> names = new ArrayList<>();
    int[][] spans = Template.spans(text, names);
    if (names.isEmpty()) {
      return;
    }
    List<Place> places = kind == Kind.COMMAND ? ShellQuote.scan(text, spans).places() : List.of();
    for (int k = 0; k < names.size(); k++) {
      String name = names.get(k);
      int placeholder = k;
      Supplier<Position> where = () -> where(at, text, spans, placeholder); // on errors only
      if (!known().contains(name)) {
        if (name.startsWith("label.") && !inventory.known()) {
          continue; // the inventory did not load: its labels are not known
        }
        problems.error(
            where.get(),
            "unknown-placeholder",
            "unknown placeholder `{{" + name + "}}`",
            Suggest.hint(name, known()));
        continue;
      }
      carried(name, where);
      if (kind == Kind.COMMAND) {
        place(name, places.get(k), windows, where);
      }
    }
  }

  private Set<String> known() {
    if (known == null) {
      known = new TreeSet<>(Template.BUILT_IN);
      inventory.selectorKeys().stream()
          .filter(k -> !Inventory.BUILT_IN_KEYS.contains(k))
          .forEach(k -> known.add("label." + k));
      secrets.forEach(k -> known.add("secret." + k));
    }
    return known;
  }

  /** Reports a placeholder standing where its value cannot go. */
  private void place(String name, Place place, Host windows, Supplier<Position> where) {
    Quoting q = place.quoting();
    String variable = Template.variable(name);
    if (!q.takesValue()) {
      String hint = q.hint();
      if (q == Quoting.UNCLEAR) {
        hint =
            variable != null
                ? "use its variable \"$"
                    + variable
                    + "\" there, or write the command so that"
                    + " sh and bash read it alike"
                : "write the command so that sh and bash read it alike";
      } else if (q == Quoting.PARAMETER && variable != null) {
        hint = "use its variable instead, e.g. \"${" + variable + ":-none}\"";
      }
      problems.error(where.get(), "placeholder-place", ShellQuote.misplaced(name, place), hint);
    } else if (q == Quoting.LITERAL_HEREDOC && name.startsWith("secret.")) {
      problems.error(
          where.get(),
          "secret-place",
          "secret `"
              + name.substring(7)
              + "` stands in a quoted here-document (<<'"
              + place.delimiter()
              + "'), whose text the shell takes as it is: it could only be filled in on the"
              + " command's line, which other users of the host can read",
          "unquote the delimiter (<<"
              + place.delimiter()
              + "); then write \\$, \\` and \\\\ for those characters in the document");
    } else if (windows != null && q != Quoting.UNQUOTED) {
      problems.error(
          where.get(),
          "placeholder-place",
          "`{{"
              + name
              + "}}` stands "
              + q.where()
              + "; on a Windows host ("
              + windows.name()
              + ") a placeholder must stand outside quotes",
          "remove the quotes around it: its value is quoted for PowerShell as one word");
    }
  }

  /** Reports, once per name, the inventory values of a placeholder that no command can carry. */
  private void carried(String name, Supplier<Position> usedAt) {
    boolean fromHosts =
        name.startsWith("label.")
            || name.equals("host")
            || name.equals("address")
            || name.equals("site")
            || name.equals("cell")
            || name.equals("os");
    if (!fromHosts || !valuesChecked.add(name)) {
      return;
    }
    String key = name.startsWith("label.") ? name.substring(6) : name;
    int found = 0;
    for (int h = 0; h < inventory.size(); h++) {
      Host host = inventory.host(h);
      String value = name.equals("address") ? host.address() : host.value(key);
      String bad = value == null ? null : Template.forbidden(value);
      if (bad == null) {
        continue;
      }
      found++;
      if (found <= HOSTS_NAMED) {
        problems.error(
            host.at(),
            "value-unsafe",
            Template.source(name, host.name())
                + " holds "
                + bad
                + ", which no command can carry; `{{"
                + name
                + "}}` uses it at "
                + usedAt.get(),
            "remove it from the inventory");
      }
    }
    if (found > HOSTS_NAMED) {
      problems.error(
          usedAt.get(),
          "value-unsafe",
          (found - HOSTS_NAMED) + " more hosts have such a value for `{{" + name + "}}`",
          "remove them from the inventory");
    }
  }

  /**
   * Where the k-th placeholder of a text is in its file: its text looked for from where the text
   * starts (found as it is in plain, quoted and block scalars alike); the text's start otherwise.
   */
  private Position where(Position at, String text, int[][] spans, int k) {
    String needle = text.substring(spans[0][k], spans[1][k]);
    int before = 0;
    for (int j = 0; j < k; j++) {
      if (text.substring(spans[0][j], spans[1][j]).equals(needle)) {
        before++;
      }
    }
    String file = at.file() == null || at.line() <= 0 ? null : source(at.file());
    if (file == null) {
      return at;
    }
    int offset = 0;
    for (int line = 1; line < at.line() && offset >= 0; line++) {
      offset = file.indexOf('\n', offset);
      offset = offset < 0 ? -1 : offset + 1;
    }
    if (offset < 0) {
      return at;
    }
    int found = file.indexOf(needle, offset + at.column() - 1);
    for (int j = 0; j < before && found >= 0; j++) {
      found = file.indexOf(needle, found + needle.length());
    }
    if (found < 0) {
      return at;
    }
    int line = 1;
    int lineStart = 0;
    for (int i = 0; i < found; i++) {
      if (file.charAt(i) == '\n') {
        line++;
        lineStart = i + 1;
      }
    }
    return new Position(at.file(), line, found - lineStart + 1);
  }

  /** A file's text, read once; null when it cannot be read (then problems point at the text). */
  private String source(Path file) {
    return files.computeIfAbsent(
        file,
        f -> {
          try {
            return Files.readString(f);
          } catch (IOException | RuntimeException e) {
            return null;
          }
        });
  }
}
