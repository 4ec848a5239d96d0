package io.upshift.target.ssh;

import io.upshift.clock.RunClock;
import io.upshift.inventory.Host;
import io.upshift.plan.Plan;
import io.upshift.plan.Step;
import io.upshift.plan.StepKind;
import io.upshift.source.Problems;
import io.upshift.target.BuiltIn;
import io.upshift.target.CappedOutput;
import io.upshift.target.Execution;
import io.upshift.target.Outcome;
import io.upshift.target.Rendering;
import io.upshift.target.SecretInput;
import io.upshift.target.Target;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.SocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.config.hosts.KnownHostEntry;
import org.apache.sshd.client.keyverifier.AcceptAllServerKeyVerifier;
import org.apache.sshd.client.keyverifier.KnownHostsServerKeyVerifier;
import org.apache.sshd.client.keyverifier.RejectAllServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.keyprovider.FileKeyPairProvider;
import org.apache.sshd.core.CoreModuleProperties;

/**
 * Runs actions on real hosts over SSH (Apache MINA SSHD, non-blocking: thousands of sessions share
 * a few threads). One session per host, opened on first use and kept for the whole run; opened
 * again when it dropped (after a reboot). Host keys are checked strictly against a known_hosts file
 * unless the user accepts new ones; a host that cannot be reached fails its action with the reason
 * (refused, timed out, unknown or changed host key, authentication), never a hang.
 */
public final class SshTarget implements Target {
  /** How an SSH target connects. */
  public record Settings(
      Path knownHosts,
      boolean acceptNewHostKeys,
      List<Path> identities,
      Path agent,
      Path config,
      Duration connectTimeout,
      int outputCap,
      boolean keepSessions) {

    /** The defaults: ~/.ssh/known_hosts, strict, the usual key files, 10 s to connect. */
    public static Settings defaults() {
      Path ssh = Path.of(System.getProperty("user.home"), ".ssh");
      return new Settings(
          ssh.resolve("known_hosts"),
          false,
          List.of(ssh.resolve("id_ed25519"), ssh.resolve("id_ecdsa"), ssh.resolve("id_rsa")),
          null,
          ssh.resolve("config"),
          Duration.ofSeconds(10),
          64 * 1024,
          true);
    }

    /** The same, closing each host's session after its action (one command per host). */
    public Settings oneShot() {
      return new Settings(
          knownHosts,
          acceptNewHostKeys,
          identities,
          agent,
          config,
          connectTimeout,
          outputCap,
          false);
    }
  }

  private final Plan plan;
  private final RunClock clock;
  private final Settings settings;
  private final io.upshift.target.Secrets secrets;
  private final SshClient client;
  private final Map<Integer, CompletableFuture<ClientSession>> sessions = new ConcurrentHashMap<>();
  private final Map<ClientSession, String> keyProblems = new ConcurrentHashMap<>();
  private final java.util.concurrent.ExecutorService httpWorkers =
      Executors.newVirtualThreadPerTaskExecutor();
  private final io.upshift.target.local.HttpCheck httpCheck =
      new io.upshift.target.local.HttpCheck(httpWorkers);
  private final ScheduledExecutorService timers =
      Executors.newSingleThreadScheduledExecutor(
          r -> Thread.ofPlatform().name("upshift-ssh-timeouts").daemon(true).unstarted(r));

  public SshTarget(Plan plan, RunClock clock, Settings settings) {
    this(plan, clock, settings, io.upshift.target.Secrets.NONE);
  }

  /** A target whose commands may use the run's secrets. */
  public SshTarget(
      Plan plan, RunClock clock, Settings settings, io.upshift.target.Secrets secrets) {
    this.secrets = secrets;
    this.plan = plan;
    this.clock = clock;
    this.settings = settings;
    this.client = SshClient.setUpDefaultClient();
    client.setServerKeyVerifier(new Verifier(settings));
    List<Path> keys = settings.identities().stream().filter(Files::isReadable).toList();
    client.setKeyIdentityProvider(new FileKeyPairProvider(keys));
    // OpenSSH's client configuration (HostName, Port, User, IdentityFile, ProxyJump per Host
    // pattern), as `ssh` reads it; none when the user says so
    client.setHostConfigEntryResolver(
        settings.config() == null
            ? org.apache.sshd.client.config.hosts.HostConfigEntryResolver.EMPTY
            : new org.apache.sshd.client.config.hosts.ConfigFileHostEntryResolver(
                settings.config()));
    if (settings.agent() != null) {
      client.setAgentFactory(new AgentSocket.Factory(settings.agent()));
    }
    String kex =
        System.getenv("UPSHIFT_SSH_KEX"); // e.g. curve25519-sha256, to compare like with like
    if (kex != null && !kex.isBlank()) {
      List<String> wanted = List.of(kex.split(","));
      client.setKeyExchangeFactories(
          client.getKeyExchangeFactories().stream()
              .filter(f -> wanted.contains(f.getName()))
              .toList());
    }
    CoreModuleProperties.IO_CONNECT_TIMEOUT.set(client, settings.connectTimeout());
    // Small packets go out at once: without it each login waits on delayed ACKs (~40 ms each).
    CoreModuleProperties.TCP_NODELAY.set(client, true);
    CoreModuleProperties.AUTH_TIMEOUT.set(client, settings.connectTimeout());
    client.start();
  }

  /** Strict known_hosts checking that says why a key was refused. */
  private final class Verifier extends KnownHostsServerKeyVerifier {
    Verifier(Settings s) {
      super(
          s.acceptNewHostKeys()
              ? AcceptAllServerKeyVerifier.INSTANCE
              : RejectAllServerKeyVerifier.INSTANCE,
          s.knownHosts());
    }

    @Override
    protected boolean acceptUnknownHostKey(
        ClientSession session, SocketAddress remote, PublicKey key) {
      boolean ok = super.acceptUnknownHostKey(session, remote, key);
      if (!ok) {
        keyProblems.put(
            session,
            "unknown host key (not in "
                + settings.knownHosts()
                + "); add it with ssh-keyscan after checking it, or pass --accept-new-host-keys");
      }
      return ok;
    }

    @Override
    public boolean acceptModifiedServerKey(
        ClientSession session,
        SocketAddress remote,
        KnownHostEntry entry,
        PublicKey expected,
        PublicKey actual) {
      keyProblems.put(
          session,
          "host key mismatch: the host's key is not the one in "
              + settings.knownHosts()
              + " (a reinstalled host, or someone in between); check it before changing the file");
      return false;
    }
  }

  @Override
  public String name() {
    return "ssh";
  }

  @Override
  public void check(Plan plan, Problems problems) {
    for (Step step : plan.steps()) {
      if (Rendering.hasOwnCommand(step)) {
        continue;
      }
      for (int h : step.hosts()) {
        Host host = plan.inventory().host(h);
        if (step.kind() == StepKind.REBOOT) {
          continue; // rebooted and waited for here, on every OS
        }
        if (!BuiltIn.renders(plan, step, host)) {
          problems.error(
              step.at(),
              "target-ssh",
              "the ssh target cannot render this `"
                  + step.kind().key()
                  + "` step: "
                  + BuiltIn.why(plan, step, host),
              "give the step a `run:` command, or rehearse the plan with `--target sim`");
          break;
        }
      }
    }
  }

  /**
   * What a command on a POSIX host starts with: its input comes from /dev/null (after the secrets
   * it reads, which {@link SecretInput} puts first), as with {@code ssh -n}; a command that reads
   * its input ends at once instead of waiting until its timeout.
   */
  private static final String NO_INPUT = "exec </dev/null; ";

  @Override
  public void start(Execution execution, Consumer<Outcome> done) {
    Step step = execution.step();
    Map<String, String> values = Rendering.values(plan, execution, secrets);
    var drain =
        execution.phase() == Execution.Phase.ACTION
            ? BuiltIn.balancer(plan, step, execution.host(), values)
            : java.util.Optional.<List<BuiltIn.ApiCommand>>empty();
    if (drain.isPresent()) {
      // the load balancer's API is reached from here, not from the host being drained
      httpWorkers.execute(
          () -> {
            Outcome o = BuiltIn.drain(drain.get(), step.timeoutMillis());
            clock.post(() -> done.accept(o));
          });
      return;
    }
    String url = Rendering.url(execution, values);
    if (url != null) {
      // HTTP checks are made from here, as a user of the service would reach it
      httpWorkers.execute(
          () -> {
            Outcome o;
            try {
              o = httpCheck.get(url, Rendering.expectation(execution), step.timeoutMillis());
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
              o = Outcome.failure(-1, "", "interrupted");
            }
            Outcome result = o;
            clock.post(() -> done.accept(result));
          });
      return;
    }
    // on a POSIX host: input from /dev/null once past the secrets, then the UPSHIFT_* variables
    String prefix = NO_INPUT + Rendering.exports(Rendering.environment(values));
    SecretInput.Command given = Rendering.command(plan, execution, values, prefix);
    if (execution.phase() == Execution.Phase.ACTION && step.kind() == StepKind.REBOOT) {
      SecretInput.Command full =
          given != null ? given : new SecretInput.Command(BuiltIn.reboot(execution.host()));
      reboot(execution.host(), full, step.timeoutMillis())
          .whenComplete(
              (o, error) -> {
                Outcome result =
                    error != null ? Outcome.failure(-1, "", reason(execution.host(), error)) : o;
                clock.post(() -> done.accept(result));
              });
      return;
    }
    if (given == null) {
      clock.post(() -> done.accept(Outcome.success(0, "")));
      return;
    }
    boolean check = execution.phase() == Execution.Phase.CHECK || step.kind() == StepKind.CHECK;
    session(execution.host())
        .thenCompose(s -> exec(s, given, step.timeoutMillis()))
        .whenComplete(
            (outcome, error) -> {
              if (!settings.keepSessions()) {
                CompletableFuture<ClientSession> s = sessions.remove(execution.host().index());
                if (s != null && s.isDone() && !s.isCompletedExceptionally()) {
                  s.join().close(false);
                }
              }
              Outcome o =
                  error != null
                      ? Outcome.failure(-1, "", reason(execution.host(), error))
                      : check ? Rendering.expect(outcome, step.check()) : Rendering.asStep(outcome);
              clock.post(() -> done.accept(o));
            });
  }

  /** The host's session: the open one, or a new one (connected and authenticated). */
  private CompletableFuture<ClientSession> session(Host host) {
    CompletableFuture<ClientSession> s =
        sessions.compute(
            host.index(),
            (k, existing) -> {
              if (existing != null
                  && (!existing.isDone()
                      || (!existing.isCompletedExceptionally() && existing.join().isOpen()))) {
                return existing;
              }
              return connect(host);
            });
    return s;
  }

  private CompletableFuture<ClientSession> connect(Host host) {
    CompletableFuture<ClientSession> out = new CompletableFuture<>();
    try {
      client
          .connect(entry(host), null, null)
          .addListener(
              cf -> {
                if (!cf.isConnected()) {
                  out.completeExceptionally(cf.getException());
                  return;
                }
                ClientSession session = cf.getSession();
                try {
                  session
                      .auth()
                      .addListener(
                          af -> {
                            if (af.isSuccess()) {
                              out.complete(session);
                            } else {
                              String key = keyProblems.remove(session);
                              session.close(true);
                              out.completeExceptionally(
                                  key != null
                                      ? new IOException(key)
                                      : af.getException() != null
                                          ? af.getException()
                                          : new IOException("authentication failed"));
                            }
                          });
                } catch (IOException e) {
                  out.completeExceptionally(e);
                }
              });
    } catch (IOException e) {
      out.completeExceptionally(e);
    }
    return out;
  }

  /** Runs one command on a session; its outcome when the channel closes, or at the timeout. */
  private CompletableFuture<Outcome> exec(ClientSession session, String command, long timeout) {
    return exec(session, new SecretInput.Command(command), timeout);
  }

  /**
   * Runs one command on a session, with its input (then end of input) when it has some; its outcome
   * when the channel closes, or at the timeout.
   */
  private CompletableFuture<Outcome> exec(
      ClientSession session, SecretInput.Command run, long timeout) {
    String command = run.text();
    CompletableFuture<Outcome> out = new CompletableFuture<>();
    CappedOutput output = new CappedOutput(settings.outputCap());
    OutputStream sink =
        new OutputStream() {
          @Override
          public void write(int b) {
            output.append(new byte[] {(byte) b}, 1);
          }

          @Override
          public void write(byte[] b, int off, int len) {
            output.append(java.util.Arrays.copyOfRange(b, off, off + len), len);
          }
        };
    AtomicBoolean timedOut = new AtomicBoolean();
    try {
      ChannelExec channel = session.createExecChannel(command);
      if (run.hasInput()) {
        // sent by MINA once the channel is open, then end of input (a thread of its own: only
        // for the commands that name secrets)
        channel.setIn(new java.io.ByteArrayInputStream(run.input()));
      }
      channel.setOut(sink);
      channel.setErr(sink);
      var timer =
          timers.schedule(
              () -> {
                timedOut.set(true);
                channel.close(true);
              },
              timeout,
              TimeUnit.MILLISECONDS);
      channel.addCloseFutureListener(
          f -> {
            timer.cancel(false);
            Integer status = channel.getExitStatus();
            if (timedOut.get()) {
              out.complete(
                  Outcome.failure(
                      -1,
                      output.text(),
                      "timed out after "
                          + io.upshift.plan.DurationModel.format(timeout)
                          + " (the command was cut off)"));
            } else if (status == null) {
              out.complete(
                  Outcome.failure(
                      -1, output.text(), "the connection closed before the command ended"));
            } else {
              out.complete(
                  status == 0
                      ? Outcome.success(0, output.text())
                      : Outcome.failure(status, output.text(), "exit status " + status));
            }
          });
      channel
          .open()
          .addListener(
              of -> {
                if (!of.isOpened()) {
                  channel.close(true);
                }
              });
    } catch (IOException e) {
      out.completeExceptionally(e);
    }
    return out;
  }

  /** What tells one boot of the host from the next (a property can stand in for it in tests). */
  private static String bootIdCommand(Host host) {
    String given = System.getProperty("upshift.ssh.bootIdCommand");
    return given != null ? given : BuiltIn.bootId(host);
  }

  /** How often a rebooting host is tried again. */
  private static final long REBOOT_POLL_MILLIS = 2_000;

  /**
   * Reboots a host and waits until it is back: reads its boot id, runs the reboot command (a
   * connection cut by the reboot is expected), drops the session, then connects again every two
   * seconds until sshd answers with a different boot id, or the step's timeout passes.
   */
  private CompletableFuture<Outcome> reboot(
      Host host, SecretInput.Command command, long timeoutMillis) {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    long started = System.nanoTime();
    return session(host)
        .thenCompose(s -> exec(s, bootIdCommand(host), Math.min(timeoutMillis, 30_000)))
        .thenCompose(
            before -> {
              if (!before.ok() || before.output().isBlank()) {
                return CompletableFuture.completedFuture(
                    Outcome.failure(
                        before.exitCode(),
                        before.output(),
                        "cannot read the boot id before rebooting (" + before.reason() + ")"));
              }
              String bootBefore = before.output().strip();
              return session(host)
                  .thenCompose(s -> exec(s, command, Math.min(timeoutMillis, 60_000)))
                  .thenCompose(
                      issued -> {
                        if (!issued.ok() && issued.exitCode() > 0) {
                          return CompletableFuture.completedFuture(
                              Outcome.failure(
                                  issued.exitCode(),
                                  issued.output(),
                                  "the reboot command failed: " + issued.reason()));
                        }
                        dropSession(host);
                        CompletableFuture<Outcome> back = new CompletableFuture<>();
                        awaitBoot(host, bootBefore, deadline, started, "", back);
                        return back;
                      });
            });
  }

  private void awaitBoot(
      Host host,
      String bootBefore,
      long deadline,
      long started,
      String last,
      CompletableFuture<Outcome> back) {
    if (System.nanoTime() > deadline) {
      back.complete(
          Outcome.failure(
              -1,
              "",
              last.equals(bootBefore)
                  ? "the host answers with the boot id it had before: it did not reboot"
                  : "not back within the step's timeout"
                      + (last.isEmpty() ? "" : " (last: " + last + ")")));
      return;
    }
    timers.schedule(
        () ->
            connect(host)
                .thenCompose(
                    s ->
                        exec(s, bootIdCommand(host), 30_000).whenComplete((o, e) -> s.close(false)))
                .whenComplete(
                    (o, error) -> {
                      String now = o != null && o.ok() ? o.output().strip() : null;
                      if (now != null && !now.isEmpty() && !now.equals(bootBefore)) {
                        long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
                        back.complete(
                            Outcome.success(
                                0,
                                "back after "
                                    + io.upshift.plan.DurationModel.format(took)
                                    + " (boot id "
                                    + bootBefore
                                    + " -> "
                                    + now
                                    + ")"));
                      } else {
                        awaitBoot(
                            host,
                            bootBefore,
                            deadline,
                            started,
                            now != null ? now : error != null ? reason(host, error) : "no answer",
                            back);
                      }
                    }),
        REBOOT_POLL_MILLIS,
        TimeUnit.MILLISECONDS);
  }

  /**
   * Where and how to connect to a host: its address, port, user and jump hosts from the inventory,
   * with OpenSSH's client configuration for its address applied the way {@code ssh} applies it
   * under explicit options: HostName and IdentityFile always, Port and User where the inventory
   * left its defaults (22, root), ProxyJump where the inventory sets no {@code jump}.
   */
  private org.apache.sshd.client.config.hosts.HostConfigEntry entry(Host host) throws IOException {
    org.apache.sshd.client.config.hosts.HostConfigEntry c =
        settings.config() == null
            ? null
            : client
                .getHostConfigEntryResolver()
                .resolveEffectiveHost(host.address(), 0, null, null, null, null);
    boolean jumps = host.jump() != null && !host.jump().isEmpty();
    String hostName = c != null && c.getHostName() != null ? c.getHostName() : host.address();
    int port = host.port() != 22 || c == null || c.getPort() <= 0 ? host.port() : c.getPort();
    String user =
        !"root".equals(host.user()) || c == null || c.getUsername() == null
            ? host.user()
            : c.getUsername();
    String jump =
        jumps
            ? host.jump()
            : c != null && c.getProxyJump() != null && !c.getProxyJump().isEmpty()
                ? c.getProxyJump()
                : null;
    var entry =
        new org.apache.sshd.client.config.hosts.HostConfigEntry("", hostName, port, user, jump);
    if (c != null && c.getIdentities() != null) {
      entry.setIdentities(c.getIdentities());
    }
    return entry;
  }

  /** Forgets a host's session (closed), so that the next action connects again. */
  private void dropSession(Host host) {
    CompletableFuture<ClientSession> s = sessions.remove(host.index());
    if (s != null && s.isDone() && !s.isCompletedExceptionally()) {
      s.join().close(true);
    }
  }

  /** Why a host could not be reached, in words. */
  private String reason(Host host, Throwable error) {
    Throwable e = error;
    while ((e instanceof java.util.concurrent.CompletionException
            || e instanceof java.util.concurrent.ExecutionException
            || (e instanceof org.apache.sshd.common.SshException && e.getCause() != null))
        && e.getCause() != null) {
      e = e.getCause();
    }
    String where = host.user() + "@" + host.address() + ":" + host.port();
    String why;
    if (e instanceof ConnectException) {
      why = "connection refused";
    } else if (e instanceof java.net.SocketTimeoutException
        || String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT).contains("timeout")) {
      why = "timed out connecting";
    } else if (e.getMessage() != null && e.getMessage().contains("host key")) {
      why = e.getMessage();
    } else if (e.getMessage() != null
        && e.getMessage().toLowerCase(java.util.Locale.ROOT).contains("auth")) {
      why = "authentication failed (no key was accepted): " + e.getMessage();
    } else {
      why = e.getClass().getSimpleName() + ": " + e.getMessage();
    }
    return "cannot reach " + where + ": " + why;
  }

  @Override
  public void close() {
    timers.shutdownNow();
    httpWorkers.shutdownNow();
    httpCheck.close();
    try {
      client.stop();
    } catch (RuntimeException ignored) {
      // closing: nothing left to do with it
    }
  }
}
