package io.upshift.target;

import io.upshift.plan.Plan;
import io.upshift.plan.Secret;
import io.upshift.plan.Template;
import io.upshift.source.Problems;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A run's secrets, read from where the plan says, for filling {@code {{secret.NAME}}} into
 * commands, and for masking them in every output, reason, journal entry and report.
 *
 * <p>What is masked of each secret ({@link #mask}): its whole value; each line of a value that
 * spans lines, since a command may print one on its own (a line of a key); and its base64 forms, in
 * the standard and the URL-safe alphabet, with or without padding, including the part of them that
 * stays the same wherever the secret stands in a longer encoded text (a {@code user:secret} pair in
 * an HTTP header, say). Trivial lines are left alone, so that masking does not eat ordinary output:
 * lines under {@value #MIN_LINE} characters once trimmed, and lines of only spaces and punctuation
 * (a PEM key's lines are masked, not an empty line or a {@code }}). So are encoded parts under
 * {@value #MIN_ENCODED} characters, which ordinary text could hold by chance. A value's base64
 * wrapped onto several lines (as {@code base64} prints one over 57 bytes) is masked only where a
 * line holds a whole stable part.
 */
public final class Secrets {
  /** What a secret's value is replaced with wherever it would show. */
  public static final String MASK = "********";

  /** No secrets: for rehearsals and plans without any. */
  public static final Secrets NONE = new Secrets(Map.of());

  /** The shortest line of a secret that is masked on its own (trimmed). */
  static final int MIN_LINE = 4;

  /** The shortest part of a secret's base64 form that is masked inside a longer encoded text. */
  static final int MIN_ENCODED = 8;

  private final Map<String, String> values;
  private final List<String> longestFirst;

  private Secrets(Map<String, String> values) {
    this.values = Map.copyOf(values);
    Set<String> masked = new LinkedHashSet<>();
    for (String v : values.values()) {
      masked.addAll(forms(v));
    }
    List<String> v = new ArrayList<>(masked);
    v.sort(Comparator.comparingInt(String::length).reversed());
    this.longestFirst = List.copyOf(v);
  }

  /** For tests: the secrets of the given values. */
  static Secrets of(Map<String, String> values) {
    return new Secrets(values);
  }

  /** What is masked of one secret's value: it, its lines, its base64 forms (see the class doc). */
  static Set<String> forms(String value) {
    Set<String> out = new LinkedHashSet<>();
    if (value.isEmpty()) {
      return out;
    }
    out.add(value);
    if (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0) {
      for (String line : value.split("\r?\n|\r")) {
        String t = line.strip();
        if (t.length() >= MIN_LINE && t.codePoints().anyMatch(Character::isLetterOrDigit)) {
          out.add(t);
        }
      }
    }
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    for (Base64.Encoder encoder : List.of(Base64.getEncoder(), Base64.getUrlEncoder())) {
      String whole = encoder.encodeToString(bytes);
      out.add(whole);
      out.add(whole.replace("=", ""));
      // After 0, 1 or 2 bytes of other text, the characters that only this value's bits make
      for (int shift = 0; shift < 3; shift++) {
        byte[] shifted = new byte[shift + bytes.length];
        System.arraycopy(bytes, 0, shifted, shift, bytes.length);
        String encoded = encoder.encodeToString(shifted);
        int first = (8 * shift + 5) / 6;
        int end = 8 * shifted.length / 6;
        if (end - first >= MIN_ENCODED) {
          out.add(encoded.substring(first, end));
        }
      }
    }
    return out;
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
        if (unsafe(s, v, problems)) {
          continue;
        }
        values.put(s.name(), v);
      } else {
        try {
          String v = Files.readString(s.file());
          v = v.endsWith("\n") ? v.substring(0, v.length() - 1) : v;
          if (!unsafe(s, v, problems)) {
            values.put(s.name(), v);
          }
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

  /** Reports a secret whose value no command can carry (a NUL), without printing it. */
  private static boolean unsafe(Secret s, String value, Problems problems) {
    String bad = Template.forbidden(value);
    if (bad != null) {
      problems.error(
          s.at(),
          "secret-unsafe",
          "secret `" + s.name() + "` holds " + bad + ", which no command can carry",
          "store the secret as text, without NUL characters (base64 for binary data)");
    }
    return bad != null;
  }

  /** The placeholder values: {@code secret.NAME} to each value. */
  public Map<String, String> placeholders() {
    Map<String, String> out = new LinkedHashMap<>();
    values.forEach((k, v) -> out.put("secret." + k, v));
    return out;
  }

  /**
   * The text with every secret value, each line of one and each of its base64 forms replaced by
   * {@link #MASK} (what is masked: see the class doc).
   */
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
