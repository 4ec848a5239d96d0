package io.upshift.cli;

import io.upshift.inventory.SshSettings;
import io.upshift.source.Durations;
import io.upshift.target.ssh.SshTarget;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;

/** How the SSH target logs in and checks hosts: the options `run` and `exec` share. */
final class SshOptions {
  Path knownHosts;
  boolean acceptNewHostKeys;
  List<Path> identities = new ArrayList<>();
  String agent;
  String config;
  Long connectTimeout;
  Long loginTimeout;
  Long killGrace;
  Integer maxConnecting;
  Integer maxCommands;

  /** Reads a duration option ({@code 10s}, {@code 1m30s}); a clear error for anything else. */
  private static final picocli.CommandLine.ITypeConverter<Long> DURATION =
      text -> {
        Long ms = Durations.millis(text);
        if (ms == null || ms <= 0) {
          throw new picocli.CommandLine.TypeConversionException(
              "`" + text + "` is not a duration such as 10s, 500ms or 1m30s");
        }
        return ms;
      };

  /** Reads a count of at least 1. */
  private static final picocli.CommandLine.ITypeConverter<Integer> COUNT =
      text -> {
        try {
          int n = Integer.parseInt(text.trim());
          if (n >= 1) {
            return n;
          }
        } catch (NumberFormatException e) {
          // said below
        }
        throw new picocli.CommandLine.TypeConversionException(
            "`" + text + "` is not a whole number of at least 1");
      };

  /** Adds the SSH options to a command. */
  CommandSpec addTo(CommandSpec spec) {
    return spec.addOption(
            Args.option(
                    "--known-hosts",
                    "FILE",
                    Path.class,
                    "SSH target: the known_hosts file host keys are checked against (default:"
                        + " ~/.ssh/known_hosts).",
                    v -> knownHosts = v)
                .build())
        .addOption(
            Args.flag(
                "--accept-new-host-keys",
                "SSH target: accept and record the key of a host not yet in known_hosts (a changed"
                    + " key is always refused).",
                v -> acceptNewHostKeys = v))
        .addOption(
            Args.repeatable(
                "--identity",
                "FILE",
                Path.class,
                "SSH target: a private key file to log in with; repeatable (default:"
                    + " ~/.ssh/id_ed25519, id_ecdsa, id_rsa).",
                v -> identities = v))
        .addOption(
            Args.option(
                    "--ssh-agent",
                    "SOCKET",
                    String.class,
                    "SSH target: the ssh-agent to log in with, tried before key files (default:"
                        + " $SSH_AUTH_SOCK; `none` for no agent).",
                    v -> agent = v)
                .build())
        .addOption(
            Args.option(
                    "--ssh-config",
                    "FILE",
                    String.class,
                    "SSH target: OpenSSH client configuration applied to each host's address"
                        + " (HostName, Port, User, IdentityFile, ProxyJump; default: ~/.ssh/config;"
                        + " `none` to ignore it).",
                    v -> config = v)
                .build())
        .addOption(
            Args.option(
                    "--connect-timeout",
                    "DURATION",
                    Long.class,
                    "SSH target: how long a host may take to accept the TCP connection (default:"
                        + " the inventory's `ssh: connect-timeout`, else 10s).",
                    v -> connectTimeout = v)
                .converters(DURATION)
                .build())
        .addOption(
            Args.option(
                    "--login-timeout",
                    "DURATION",
                    Long.class,
                    "SSH target: how long the server's greeting, key exchange and authentication"
                        + " may take once connected (default: the inventory's, else 30s).",
                    v -> loginTimeout = v)
                .converters(DURATION)
                .build())
        .addOption(
            Args.option(
                    "--max-connecting",
                    "N",
                    Integer.class,
                    "SSH target: logins under way at once; the others wait their turn, their"
                        + " timeouts not started (default: the inventory's, else 32).",
                    v -> maxConnecting = v)
                .converters(COUNT)
                .build())
        .addOption(
            Args.option(
                    "--max-commands",
                    "N",
                    Integer.class,
                    "SSH target: commands running at once across the fleet (default: the"
                        + " inventory's, else 1000).",
                    v -> maxCommands = v)
                .converters(COUNT)
                .build())
        .addOption(
            Args.option(
                    "--kill-grace",
                    "DURATION",
                    Long.class,
                    "SSH target: a command that timed out gets TERM, then KILL this long after"
                        + " (default: the inventory's, else 5s).",
                    v -> killGrace = v)
                .converters(DURATION)
                .build());
  }

  /** The limits given on the command line (null where none was given). */
  SshSettings limits() {
    return new SshSettings(connectTimeout, loginTimeout, maxConnecting, maxCommands, killGrace);
  }

  /** The SSH settings these options give, the defaults where none is given. */
  SshTarget.Settings settings() {
    var d = SshTarget.Settings.defaults();
    return new SshTarget.Settings(
        knownHosts != null ? knownHosts.toAbsolutePath() : d.knownHosts(),
        acceptNewHostKeys,
        identities.isEmpty()
            ? d.identities()
            : identities.stream().map(Path::toAbsolutePath).toList(),
        !identities.isEmpty(),
        agentSocket(),
        "none".equals(config)
            ? null
            : config != null ? Path.of(config).toAbsolutePath() : d.config(),
        limits(),
        d.outputCap(),
        true);
  }

  /** The agent's socket: the option, else $SSH_AUTH_SOCK when it exists; null for none. */
  private Path agentSocket() {
    if ("none".equals(agent)) {
      return null;
    }
    if (agent != null) {
      return Path.of(agent).toAbsolutePath();
    }
    String env = System.getenv("SSH_AUTH_SOCK");
    return env != null && !env.isBlank() && Files.exists(Path.of(env)) ? Path.of(env) : null;
  }
}
