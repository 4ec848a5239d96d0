package io.upshift.target;

import io.upshift.plan.Plan;
import io.upshift.plan.Secret;
import io.upshift.source.Problems;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A run's secrets, read from where the plan says, for filling {@code {{secret.NAME}}} into
 * commands, and for masking them in every output, reason, journal entry and report.
 */
public final class Secrets {
  /** What a secret's value is replaced with wherever it would show. */
  public static final String MASK = "********";

  /** No secrets: for rehearsals and plans without any. */
  public static final Secrets NONE = new Secrets(Map.of());

  private final Map<String, String> values;
  private final List<String> longestFirst;

  private Secrets(Map<String, String> values) {
    this.values = Map.copyOf(values);
    List<String> v = new ArrayList<>(values.values());
    v.removeIf(String::isEmpty);
    v.sort(Comparator.comparingInt(String::length).reversed());
    this.longestFirst = List.copyOf(v);
  }

  /**
   * Reads every secret of the plan; reports each that cannot be read at its declaration, without
   * ever printing a value.
   */
  public static Secrets read(Plan plan, Problems problems) {
    Map<String, String> values = new LinkedHashMap<>();
    for (Secret s : plan.secrets().values()) {
      if (s.env() != null) {
        String v = System.getenv(s.env());
        if (v == null) {
          problems.error(
              s.at(),
              "secret-missing",
              "secret `" + s.name() + "`: the environment variable " + s.env() + " is not set",
              "set it in the environment of the command (it is never printed)");
          continue;
        }
        values.put(s.name(), v);
      } else {
        try {
          String v = Files.readString(s.file());
          values.put(s.name(), v.endsWith("\n") ? v.substring(0, v.length() - 1) : v);
        } catch (IOException e) {
          problems.error(
              s.at(),
              "secret-missing",
              "secret `"
                  + s.name()
                  + "`: cannot read "
                  + s.file()
                  + " ("
                  + e.getClass().getSimpleName()
                  + ")",
              "create the file, readable by this user, holding only the secret");
        }
      }
    }
    return new Secrets(values);
  }

  /** The placeholder values: {@code secret.NAME} to each value. */
  public Map<String, String> placeholders() {
    Map<String, String> out = new LinkedHashMap<>();
    values.forEach((k, v) -> out.put("secret." + k, v));
    return out;
  }

  /** The text with every secret value replaced by {@link #MASK}. */
  public String mask(String text) {
    if (text == null || longestFirst.isEmpty()) {
      return text;
    }
    String out = text;
    for (String v : longestFirst) {
      out = out.replace(v, MASK);
    }
    return out;
  }
}
