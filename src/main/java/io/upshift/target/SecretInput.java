package io.upshift.target;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Keeps secrets off a POSIX shell command's line, which other users of the host can read in the
 * process list while it runs: a secret the command names goes to its standard input instead, is
 * read into a shell variable before anything else runs, and the command names the variable (double
 * quoted) where the value would have been.
 *
 * <p>Use: render the command from {@link #values()} (each secret replaced by a token made of
 * letters and digits, which every quoting leaves as it is), then {@link #finish} it.
 */
public final class SecretInput {
  /** A command to run, and the bytes to write to its standard input (none: leave it alone). */
  public record Command(String text, byte[] input) {
    /** A command that reads nothing. */
    public Command(String text) {
      this(text, new byte[0]);
    }

    public boolean hasInput() {
      return input.length > 0;
    }
  }

  /** How every token starts. */
  private static final String TOKEN = "UPSHIFTSECRET";

  /** Tells this run's tokens from any text a plan could hold. */
  private static final String NONCE = HexFormat.of().formatHex(randomBytes());

  private final Map<String, String> values;
  private final Map<String, String> tokens = new LinkedHashMap<>(); // secret's value by token

  /** For the placeholder values of one action, the run's secrets among them as secret.NAME. */
  public SecretInput(Map<String, String> withSecrets) {
    Map<String, String> v = new LinkedHashMap<>(withSecrets);
    for (Map.Entry<String, String> e : withSecrets.entrySet()) {
      if (e.getKey().startsWith("secret.")) {
        String token = TOKEN + NONCE + "N" + tokens.size() + "X";
        tokens.put(token, e.getValue());
        v.put(e.getKey(), token);
      }
    }
    this.values = v;
  }

  /** The values to render the command from: secrets replaced by tokens. */
  public Map<String, String> values() {
    return values;
  }

  /**
   * The rendered command with its tokens turned into variables, and the secrets it names as the
   * lines of its input (base64 for a secret that spans lines). Each token becomes what names the
   * variable where it stands: {@code "$VAR"} outside quotes, {@code '"$VAR"'} inside single quotes
   * (closed around it, then reopened), {@code $VAR} inside double quotes; so every word means what
   * it meant with the value in it.
   */
  public Command finish(String rendered) {
    StringBuilder reads = new StringBuilder();
    List<String> lines = new ArrayList<>();
    Map<String, String> variables = new LinkedHashMap<>(); // by token
    for (Map.Entry<String, String> e : tokens.entrySet()) {
      if (!rendered.contains(e.getKey())) {
        continue;
      }
      String variable = "UPSHIFT_SECRET_" + (lines.size() + 1);
      variables.put(e.getKey(), variable);
      String value = e.getValue();
      boolean oneLine = value.indexOf('\n') < 0 && value.indexOf('\r') < 0;
      reads.append("IFS= read -r ").append(variable).append(" || exit 1; ");
      if (!oneLine) {
        reads
            .append(variable)
            .append("=$(printf '%s' \"$")
            .append(variable)
            .append("\" | base64 -d) || exit 1; ");
        value = Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
      }
      lines.add(value);
    }
    if (lines.isEmpty()) {
      return new Command(rendered);
    }
    byte[] input = (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);
    return new Command(reads + replace(rendered, variables), input);
  }

  /** Replaces the tokens, following the POSIX shell's quoting to know what each stands in. */
  private static String replace(String text, Map<String, String> variables) {
    StringBuilder out = new StringBuilder(text.length());
    boolean single = false;
    boolean dbl = false;
    int i = 0;
    while (i < text.length()) {
      String token = text.startsWith(TOKEN, i) ? tokenAt(text, i, variables) : null;
      if (token != null) {
        String v = variables.get(token);
        out.append(single ? "'\"$" + v + "\"'" : dbl ? "${" + v + "}" : "\"$" + v + "\"");
        i += token.length();
        continue;
      }
      char c = text.charAt(i);
      out.append(c);
      i++;
      if (single) {
        single = c != '\'';
      } else if (c == '\\' && i < text.length()) {
        out.append(text.charAt(i)); // escaped: taken as it is, in or out of double quotes
        i++;
      } else if (c == '"') {
        dbl = !dbl;
      } else if (c == '\'' && !dbl) {
        single = true;
      }
    }
    return out.toString();
  }

  private static String tokenAt(String text, int at, Map<String, String> variables) {
    for (String token : variables.keySet()) {
      if (text.startsWith(token, at)) {
        return token;
      }
    }
    return null;
  }

  private static byte[] randomBytes() {
    byte[] b = new byte[8];
    new SecureRandom().nextBytes(b);
    return b;
  }
}
