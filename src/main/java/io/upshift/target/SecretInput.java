package io.upshift.target;

import io.upshift.plan.RenderException;
import io.upshift.plan.ShellContext;
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
  private final Map<String, String> names = new LinkedHashMap<>(); // secret's name by token

  /** For the placeholder values of one action, the run's secrets among them as secret.NAME. */
  public SecretInput(Map<String, String> withSecrets) {
    Map<String, String> v = new LinkedHashMap<>(withSecrets);
    for (Map.Entry<String, String> e : withSecrets.entrySet()) {
      if (e.getKey().startsWith("secret.")) {
        String token = TOKEN + NONCE + "N" + tokens.size() + "X";
        tokens.put(token, e.getValue());
        names.put(token, e.getKey());
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
   * variable where it stands ({@link ShellContext}): {@code "$VAR"} outside quotes, {@code
   * '"$VAR"'} inside single quotes (closed around it, then reopened), {@code ${VAR}} inside double
   * quotes and in a here-document; so every word means what it meant with the value in it.
   *
   * @throws RenderException for a secret in a quoted here-document (whose text is not expanded, so
   *     the secret would have to be on the command's line) or where nothing can be quoted
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
        // decoded, then an x kept to the end so that no line break at the end is lost
        reads
            .append(variable)
            .append("=$(printf '%s' \"$")
            .append(variable)
            .append("\" | base64 -d && echo x) || exit 1; ")
            .append(variable)
            .append("=${")
            .append(variable)
            .append("%x}; ");
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

  /** Replaces the tokens by their variables, each named as the place it stands in needs. */
  private String replace(String text, Map<String, String> variables) {
    List<int[]> found = new ArrayList<>();
    List<String> at = new ArrayList<>();
    for (int i = text.indexOf(TOKEN); i >= 0; i = text.indexOf(TOKEN, i + 1)) {
      for (String token : variables.keySet()) {
        if (text.startsWith(token, i)) {
          found.add(new int[] {i, i + token.length()});
          at.add(token);
          break;
        }
      }
    }
    int[] starts = found.stream().mapToInt(f -> f[0]).toArray();
    int[] ends = found.stream().mapToInt(f -> f[1]).toArray();
    List<ShellContext.Place> places = ShellContext.scan(text, starts, ends).places();
    StringBuilder out = new StringBuilder(text.length());
    int last = 0;
    for (int k = 0; k < starts.length; k++) {
      String v = variables.get(at.get(k));
      out.append(text, last, starts[k]);
      out.append(
          switch (places.get(k).quoting()) {
            case UNQUOTED -> "\"$" + v + "\"";
            case SINGLE -> "'\"$" + v + "\"'";
            case DOUBLE, HEREDOC -> "${" + v + "}";
            case LITERAL_HEREDOC ->
                throw new RenderException(
                    "secret `"
                        + names.get(at.get(k)).substring(7)
                        + "` stands in a quoted here-document, whose text the shell takes as it"
                        + " is: it cannot be filled in there without being on the command's line");
            default ->
                throw new RenderException(
                    "secret `"
                        + names.get(at.get(k)).substring(7)
                        + "` stands "
                        + places.get(k).quoting().where()
                        + ", where no value can be quoted safely");
          });
      last = ends[k];
    }
    out.append(text, last, text.length());
    return out.toString();
  }

  private static byte[] randomBytes() {
    byte[] b = new byte[8];
    new SecureRandom().nextBytes(b);
    return b;
  }
}
