package io.upshift.cli;

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
                .build());
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
        agentSocket(),
        "none".equals(config)
            ? null
            : config != null ? Path.of(config).toAbsolutePath() : d.config(),
        d.connectTimeout(),
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
