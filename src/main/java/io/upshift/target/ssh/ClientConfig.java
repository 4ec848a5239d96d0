package io.upshift.target.ssh;

import io.upshift.source.Position;
import io.upshift.source.Problems;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.sshd.client.config.hosts.HostConfigEntry;
import org.apache.sshd.client.config.hosts.HostConfigEntryResolver;

/**
 * The user's OpenSSH client configuration ({@code ~/.ssh/config}), as far as Upshift applies it:
 * {@code Host} blocks with HostName, Port, User, IdentityFile and ProxyJump. What it does not apply
 * is left out with one warning naming the line: {@code Match} blocks (skipped whole, as a client
 * that cannot evaluate them must), {@code ProxyCommand}, {@code Include}.
 */
final class ClientConfig {
  /** Keywords that change where or how a host is reached, and that are not applied here. */
  private static final Set<String> NOT_APPLIED = Set.of("proxycommand", "include");

  private final HostConfigEntryResolver resolver;
  private final List<Problem> warnings;

  /** A line of the file that is not applied, and why. */
  record Problem(Position at, String message, String hint) {}

  private ClientConfig(HostConfigEntryResolver resolver, List<Problem> warnings) {
    this.resolver = resolver;
    this.warnings = List.copyOf(warnings);
  }

  /** No configuration: the inventory alone says how each host is reached. */
  static final ClientConfig NONE = new ClientConfig(HostConfigEntryResolver.EMPTY, List.of());

  /** Reads {@code file}; a missing file is no configuration, an unreadable one a warning. */
  static ClientConfig read(Path file) {
    if (file == null) {
      return NONE;
    }
    List<Problem> warnings = new ArrayList<>();
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return NONE;
    } catch (IOException e) {
      return unreadable(file, e, "fix its permissions, or pass --ssh-config none", warnings);
    }
    StringBuilder kept = new StringBuilder(text.length());
    boolean inMatch = false;
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      String trimmed = line.strip();
      String keyword = keyword(trimmed);
      if (keyword.equals("host")) {
        inMatch = false;
      } else if (keyword.equals("match")) {
        inMatch = true;
        warnings.add(
            new Problem(
                new Position(file, i + 1, 1),
                "`Match` blocks are not applied by Upshift; this block is skipped",
                "write the settings under a `Host` pattern, or pass --ssh-config none"));
      } else if (!inMatch && NOT_APPLIED.contains(keyword)) {
        warnings.add(
            new Problem(
                new Position(file, i + 1, line.indexOf(trimmed) + 1),
                "`" + trimmed.split("[\\s=]", 2)[0] + "` is not applied by Upshift (ignored)",
                keyword.equals("proxycommand")
                    ? "use `ProxyJump` (or `jump:` in the inventory) for hosts behind a gateway"
                    : "put the settings in this file"));
        kept.append('\n');
        continue;
      }
      kept.append(inMatch ? "" : line).append('\n');
    }
    try {
      List<HostConfigEntry> entries =
          HostConfigEntry.readHostConfigEntries(new StringReader(kept.toString()), true);
      return new ClientConfig(HostConfigEntry.toHostConfigEntryResolver(entries), warnings);
    } catch (IOException | RuntimeException e) {
      return unreadable(file, e, "fix the file, or pass --ssh-config none", warnings);
    }
  }

  /** No configuration, with a warning that the file could not be read, and why. */
  private static ClientConfig unreadable(
      Path file, Exception e, String hint, List<Problem> warnings) {
    warnings.add(
        new Problem(
            Position.none(file),
            "cannot read the SSH client configuration: " + e.getMessage(),
            hint));
    return new ClientConfig(HostConfigEntryResolver.EMPTY, warnings);
  }

  private static String keyword(String trimmed) {
    if (trimmed.isEmpty() || trimmed.startsWith("#")) {
      return "";
    }
    return trimmed.split("[\\s=]", 2)[0].toLowerCase(Locale.ROOT);
  }

  HostConfigEntryResolver resolver() {
    return resolver;
  }

  /** Adds the warnings about what is not applied. */
  void report(Problems problems) {
    for (Problem p : warnings) {
      problems.warning(p.at(), "ssh-config", p.message(), p.hint());
    }
  }
}
