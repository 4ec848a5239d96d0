package io.upshift.target.ssh;

import io.upshift.clock.RunClock;
import io.upshift.engine.Execution;
import io.upshift.engine.Outcome;
import io.upshift.engine.Target;
import io.upshift.inventory.Host;
import io.upshift.inventory.SshSettings;
import io.upshift.plan.DurationModel;
import io.upshift.plan.Plan;
import io.upshift.plan.Step;
import io.upshift.plan.StepKind;
import io.upshift.source.Position;
import io.upshift.source.Problems;
import io.upshift.target.BuiltIn;
import io.upshift.target.CappedOutput;
import io.upshift.target.Rendering;
import io.upshift.target.SecretInput;
import io.upshift.target.Secrets;
import io.upshift.target.local.HttpCheck;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.config.hosts.HostConfigEntry;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.SshException;
import org.apache.sshd.common.keyprovider.FileKeyPairProvider;
import org.apache.sshd.core.CoreModuleProperties;

/**
 * Runs actions on real hosts over SSH (Apache MINA SSHD, non-blocking: thousands of sessions share
 * a few threads). One session per host, opened on first use and kept for the whole run; opened
 * again when it dropped (after a reboot).
 *
 * <p>Under load it stays fair to the hosts: at most {@code max-connecting} logins are under way at
 * once and {@code max-commands} commands run at once, and every deadline starts when its work does.
 * A login that stalls fails with the phase it stalled in (connecting, the server's greeting, key
 * exchange, authentication); host keys are checked strictly against a known_hosts file unless the
 * user accepts new ones.
 *
 * <p>On a POSIX host each action's command is wrapped ({@link RemoteCommand}) so that a command
 * that times out, or is still running when the run stops, has its whole process group ended (TERM,
 * then KILL after a grace period); and so that when the connection drops while a command runs, the
 * host's own record says how it ended. When nothing can say, the action is in doubt ({@link
 * Outcome#unknown}), settled by its step's {@code in-doubt} policy as after a crash.
 */
public final class SshTarget implements Target {
  /**
   * How an SSH target connects.
   *
   * @param identitiesGiven the identities were named by the user (each must then exist)
   * @param limits timeouts and concurrency from the command line; null values come from the
   *     inventory's {@code ssh:}, then {@link #DEFAULT_LIMITS}
   */
  public record Settings(
      Path knownHosts,
      boolean acceptNewHostKeys,
      List<Path> identities,
      boolean identitiesGiven,
      Path agent,
      Path config,
      SshSettings limits,
      int outputCap,
      boolean keepSessions) {

    /** The defaults: ~/.ssh/known_hosts, strict, the usual key files, the default limits. */
    public static Settings defaults() {
      Path ssh = Path.of(System.getProperty("user.home"), ".ssh");
      return new Settings(
          ssh.resolve("known_hosts"),
          false,
          List.of(ssh.resolve("id_ed25519"), ssh.resolve("id_ecdsa"), ssh.resolve("id_rsa")),
          false,
          null,
          ssh.resolve("config"),
          SshSettings.NONE,
          64 * 1024,
          true);
    }

    /** The same, closing each host's session after its action (one command per host). */
    public Settings oneShot() {
      return new Settings(
          knownHosts,
          acceptNewHostKeys,
          identities,
          identitiesGiven,
          agent,
          config,
          limits,
          outputCap,
          false);
    }
  }

  /**
   * What holds when neither the command line nor the inventory says: 10 s to connect, 30 s for the
   * login, 32 logins under way at once (each costs a key exchange: on 2 cores more at once only
   * make each slower), 1,000 commands at once, 5 s between TERM and KILL.
   */
  public static final SshSettings DEFAULT_LIMITS =
      new SshSettings(10_000L, 30_000L, 32, 1000, 5_000L);

  /** How long the small commands Upshift runs for itself may take (status, kill, boot id). */
  private static final long OWN_COMMAND_MILLIS = 30_000;

  private final Plan plan;
  private final RunClock clock;
  private final Settings settings;
  private final SshSettings limits;
  private final Secrets secrets;
  private final SshClient client;
  private final HostKeys keys;
  private final ClientConfig config;
  private final Logins logins;
  private final Logins.Gate commands;
  private final Map<Integer, CompletableFuture<ClientSession>> sessions = new ConcurrentHashMap<>();
  private final Map<RemoteCommand, Host> running = new ConcurrentHashMap<>();
  private final Map<RemoteCommand, Boolean> aborted = new ConcurrentHashMap<>();

  /**
   * Ends what runs on the hosts if this process is stopped (Ctrl-C, TERM) before {@link #close}.
   */
  private final Thread onExit = new Thread(this::endRunning, "upshift-ssh-end-commands");

  private final ExecutorService httpWorkers = Executors.newVirtualThreadPerTaskExecutor();
  private final HttpCheck httpCheck = new HttpCheck(httpWorkers);
  private final ScheduledExecutorService timers =
      Executors.newSingleThreadScheduledExecutor(
          r -> Thread.ofPlatform().name("upshift-ssh-timers").daemon(true).unstarted(r));

  /** Where the hosts keep this target's record of its commands (under the login's home). */
  private final String record;

  private final AtomicLong actions = new AtomicLong();

  public SshTarget(Plan plan, RunClock clock, Settings settings) {
    this(plan, clock, settings, Secrets.NONE);
  }

  /** A target whose commands may use the run's secrets. */
  public SshTarget(Plan plan, RunClock clock, Settings settings, Secrets secrets) {
    this.secrets = secrets;
    this.plan = plan;
    this.clock = clock;
    this.settings = settings;
    this.limits = settings.limits().or(plan.inventory().ssh()).or(DEFAULT_LIMITS);
    this.record =
        ".cache/upshift/run-"
            + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"))
            + "-"
            + HexFormat.of().toHexDigits((short) ThreadLocalRandom.current().nextInt());
    this.client = SshClient.setUpDefaultClient();
    this.keys = new HostKeys(settings.knownHosts(), settings.acceptNewHostKeys());
    client.setServerKeyVerifier(keys);
    List<Path> keyFiles = settings.identities().stream().filter(Files::isReadable).toList();
    client.setKeyIdentityProvider(new FileKeyPairProvider(keyFiles));
    // OpenSSH's client configuration (HostName, Port, User, IdentityFile, ProxyJump per Host
    // pattern), as `ssh` reads it; none when the user says so
    this.config = ClientConfig.read(settings.config());
    client.setHostConfigEntryResolver(config.resolver());
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
    // MINA's own deadlines only back ours up: ours name the phase that stalled
    CoreModuleProperties.IO_CONNECT_TIMEOUT.set(
        client, Duration.ofMillis(limits.connectTimeoutMillis() + 5_000));
    CoreModuleProperties.AUTH_TIMEOUT.set(
        client, Duration.ofMillis(limits.loginTimeoutMillis() + 5_000));
    // Small packets go out at once: without it each login waits on delayed ACKs (~40 ms each).
    CoreModuleProperties.TCP_NODELAY.set(client, true);
    // A host's session lasts the run: MINA's default closes one idle for 10 minutes, and a host
    // that waits out a long step elsewhere (the compute nodes' hour) then logs in again. A
    // keepalive every minute instead, which also shows a dead peer when it cannot be written.
    CoreModuleProperties.IDLE_TIMEOUT.set(client, Duration.ZERO);
    CoreModuleProperties.HEARTBEAT_INTERVAL.set(client, Duration.ofMinutes(1));
    client.start();
    this.logins =
        new Logins(
            client,
            keys,
            timers,
            limits.connectTimeoutMillis(),
            limits.loginTimeoutMillis(),
            limits.maxConnecting());
    this.commands = new Logins.Gate(limits.maxCommands(), timers);
    Runtime.getRuntime().addShutdownHook(onExit);
  }

  @Override
  public String name() {
    return "ssh";
  }

  @Override
  public void check(Plan plan, Problems problems) {
    if (settings.identitiesGiven()) {
      for (Path key : settings.identities()) {
        if (!Files.isReadable(key)) {
          problems.error(
              Position.none(key),
              "ssh-identity",
              Files.exists(key)
                  ? "the identity file " + key + " (--identity) cannot be read"
                  : "the identity file " + key + " (--identity) does not exist",
              "give the path of a private key file, e.g. --identity ~/.ssh/id_ed25519");
        }
      }
    }
    config.report(problems);
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
            : Optional.<List<BuiltIn.ApiCommand>>empty();
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
    Host host = execution.host();
    if (execution.phase() == Execution.Phase.ACTION && step.kind() == StepKind.REBOOT) {
      SecretInput.Command full =
          given != null ? given : new SecretInput.Command(BuiltIn.reboot(host));
      reboot(host, full, step.timeoutMillis())
          .whenComplete(
              (o, error) -> {
                Outcome result = error != null ? Outcome.failure(-1, "", reason(host, error)) : o;
                clock.post(() -> done.accept(result));
              });
      return;
    }
    if (given == null) {
      clock.post(() -> done.accept(Outcome.success(0, "")));
      return;
    }
    boolean check = execution.phase() == Execution.Phase.CHECK || step.kind() == StepKind.CHECK;
    RemoteCommand wrapper =
        "windows".equals(host.os())
            ? null
            : new RemoteCommand(
                record,
                step.stage()
                    + "."
                    + step.index()
                    + "."
                    + execution.phase().word()
                    + "."
                    + actions.incrementAndGet());
    commands.enter(
        () ->
            action(host, given, step.timeoutMillis(), wrapper)
                .whenComplete(
                    (outcome, error) -> {
                      commands.leave();
                      if (!settings.keepSessions()) {
                        forgetAndDrop(host, wrapper);
                      }
                      Outcome o =
                          error != null
                              ? Outcome.failure(-1, "", reason(host, error))
                              : outcome.inDoubt()
                                  ? outcome
                                  : check
                                      ? Rendering.expect(outcome, step.check())
                                      : Rendering.asStep(outcome);
                      clock.post(() -> done.accept(o));
                    }));
  }

  /**
   * Runs an action's command on its host and tells how it ended: by its exit status; at its timeout
   * (its processes then ended); or, when the connection dropped while it ran, as the host's record
   * says, or in doubt when nothing can say.
   */
  private CompletableFuture<Outcome> action(
      Host host, SecretInput.Command given, long timeout, RemoteCommand wrapper) {
    if (wrapper == null) {
      return session(host).thenCompose(s -> exec(s, given, timeout)).thenApply(Ran::outcome);
    }
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeout);
    SecretInput.Command wrapped =
        new SecretInput.Command(wrapper.wrap(given.text()), given.input());
    running.put(wrapper, host);
    return session(host)
        .thenCompose(s -> exec(s, wrapped, timeout))
        .thenCompose(
            ran -> {
              if (ran.timedOut()) {
                return end(host, wrapper).thenApply(how -> ran.timeout(timeout, how));
              }
              if (aborted.remove(wrapper) != null) {
                return CompletableFuture.completedFuture(
                    Outcome.failure(
                        -1,
                        ran.output(),
                        "the run was aborted while it ran: its processes were ended"));
              }
              if (ran.lost()) {
                return afterDrop(host, wrapper, ran.output(), deadline, timeout);
              }
              return CompletableFuture.completedFuture(ran.outcome());
            })
        .whenComplete((o, e) -> running.remove(wrapper));
  }

  /**
   * After the connection dropped while a command ran: connects again and reads the host's record.
   * Ended: its status is the outcome. Still running: looked at again until its deadline, then
   * ended. Gone without an end, or the host cannot be reached: in doubt.
   */
  private CompletableFuture<Outcome> afterDrop(
      Host host, RemoteCommand wrapper, String output, long deadline, long timeout) {
    String dropped = "the connection dropped while the command ran";
    return session(host)
        .thenCompose(s -> exec(s, new SecretInput.Command(wrapper.status()), OWN_COMMAND_MILLIS))
        .handle(
            (ran, error) -> {
              if (error != null || !ran.ok()) {
                String why = error != null ? reason(host, error) : ran.outcome().reason();
                return CompletableFuture.completedFuture(
                    Outcome.unknown(
                        output, dropped + ", and the host cannot tell how it ended (" + why + ")"));
              }
              String status = ran.output().strip();
              if (status.startsWith("ended ")) {
                int code;
                try {
                  code = Integer.parseInt(status.substring(6).strip());
                } catch (NumberFormatException e) {
                  code = -1;
                }
                String note = dropped + "; the host's record says it ended with status " + code;
                return CompletableFuture.completedFuture(
                    code == 0
                        ? Outcome.success(0, output.isEmpty() ? note : output + "\n(" + note + ")")
                        : Outcome.failure(code, output, "exit status " + code + " (" + note + ")"));
              }
              if (status.equals("running")) {
                if (System.nanoTime() >= deadline) {
                  return end(host, wrapper)
                      .thenApply(
                          how -> new Ran(null, null, output, true, false).timeout(timeout, how));
                }
                CompletableFuture<Outcome> later = new CompletableFuture<>();
                timers.schedule(
                    () ->
                        afterDrop(host, wrapper, output, deadline, timeout)
                            .whenComplete(
                                (o, e) -> {
                                  if (e != null) {
                                    later.completeExceptionally(e);
                                  } else {
                                    later.complete(o);
                                  }
                                }),
                    DROP_POLL_MILLIS,
                    TimeUnit.MILLISECONDS);
                return later;
              }
              return CompletableFuture.completedFuture(
                  Outcome.unknown(
                      output,
                      status.equals("vanished")
                          ? dropped + ", and its processes are gone without recording an end"
                          : dropped + ", and the host holds no record of it"));
            })
        .thenCompose(f -> f);
  }

  /** How often a command still running after its connection dropped is looked at again. */
  private static final long DROP_POLL_MILLIS = 2_000;

  /**
   * Ends a command's process group on its host (TERM, then KILL after the grace period), over its
   * session or a new one. Says what happened, for the outcome's reason.
   */
  private CompletableFuture<String> end(Host host, RemoteCommand wrapper) {
    long grace = limits.killGraceMillis();
    long graceSeconds = Math.max(1, (grace + 999) / 1000);
    return session(host)
        .thenCompose(
            s ->
                exec(
                    s,
                    new SecretInput.Command(wrapper.kill(graceSeconds)),
                    grace + OWN_COMMAND_MILLIS))
        .handle(
            (ran, error) -> {
              if (error != null || !ran.ok()) {
                return "; its processes could not be ended ("
                    + (error != null ? reason(host, error) : ran.outcome().reason())
                    + "): look at the host";
              }
              return ran.output().strip().equals("gone")
                  ? "; nothing of it was left running"
                  : "; its processes were ended (TERM, then KILL after "
                      + DurationModel.format(grace)
                      + ")";
            });
  }

  /** The host's session: the open one, or a new one (connected and authenticated). */
  private CompletableFuture<ClientSession> session(Host host) {
    return sessions.compute(
        host.index(),
        (k, existing) -> {
          if (existing != null
              && (!existing.isDone()
                  || (!existing.isCompletedExceptionally() && existing.join().isOpen()))) {
            return existing;
          }
          return connect(host);
        });
  }

  private CompletableFuture<ClientSession> connect(Host host) {
    try {
      return logins.open(entry(host));
    } catch (IOException | RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /**
   * How one command ended on its channel.
   *
   * @param status its exit status, or null when none came
   * @param signal the signal that killed it, or null
   * @param timedOut it was cut off at its timeout
   * @param lost the channel closed with neither a status nor a signal: the connection dropped
   */
  private record Ran(Integer status, String signal, String output, boolean timedOut, boolean lost) {
    boolean ok() {
      return status != null && status == 0;
    }

    Outcome outcome() {
      if (timedOut) {
        return Outcome.failure(-1, output, "timed out");
      }
      if (status != null) {
        return status == 0
            ? Outcome.success(0, output)
            : Outcome.failure(status, output, "exit status " + status);
      }
      if (signal != null) {
        return Outcome.failure(-1, output, "killed by signal " + signal);
      }
      return Outcome.failure(-1, output, "the connection closed before the command ended");
    }

    Outcome timeout(long timeout, String how) {
      return Outcome.failure(-1, output, "timed out after " + DurationModel.format(timeout) + how);
    }
  }

  /**
   * Runs one command on a session, with its input (then end of input) when it has some; how it
   * ended when the channel closes, or at the timeout (the channel is then closed: what runs on the
   * host is ended by {@link #end}).
   */
  private CompletableFuture<Ran> exec(
      ClientSession session, SecretInput.Command run, long timeout) {
    CompletableFuture<Ran> out = new CompletableFuture<>();
    CappedOutput output = new CappedOutput(settings.outputCap());
    OutputStream sink =
        new OutputStream() {
          @Override
          public void write(int b) {
            output.append(new byte[] {(byte) b}, 1);
          }

          @Override
          public void write(byte[] b, int off, int len) {
            output.append(Arrays.copyOfRange(b, off, off + len), len);
          }
        };
    AtomicBoolean timedOut = new AtomicBoolean();
    try {
      ChannelExec channel = session.createExecChannel(run.text());
      if (run.hasInput()) {
        // sent by MINA once the channel is open, then end of input (a thread of its own: only
        // for the commands that name secrets)
        channel.setIn(new ByteArrayInputStream(run.input()));
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
            String signal = channel.getExitSignal();
            out.complete(
                new Ran(
                    status,
                    signal,
                    output.text(),
                    timedOut.get(),
                    !timedOut.get() && status == null && signal == null));
          });
      channel
          .open()
          .addListener(
              of -> {
                if (!of.isOpened()) {
                  channel.close(true);
                }
              });
    } catch (IOException | RuntimeException e) {
      out.completeExceptionally(e);
    }
    return out;
  }

  /** Runs one of Upshift's own commands (no wrapper, no input) and gives its outcome. */
  private CompletableFuture<Outcome> run(ClientSession session, String command, long timeout) {
    return exec(session, new SecretInput.Command(command), timeout).thenApply(Ran::outcome);
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
        .thenCompose(s -> run(s, bootIdCommand(host), Math.min(timeoutMillis, 30_000)))
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
                  .thenCompose(
                      s ->
                          exec(s, command, Math.min(timeoutMillis, 60_000)).thenApply(Ran::outcome))
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
                    s -> run(s, bootIdCommand(host), 30_000).whenComplete((o, e) -> s.close(false)))
                .whenComplete(
                    (o, error) -> {
                      String now = o != null && o.ok() ? o.output().strip() : null;
                      if (now != null && !now.isEmpty() && !now.equals(bootBefore)) {
                        long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
                        back.complete(
                            Outcome.success(
                                0,
                                "back after "
                                    + DurationModel.format(took)
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
  private HostConfigEntry entry(Host host) throws IOException {
    HostConfigEntry c =
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
    var entry = new HostConfigEntry("", hostName, port, user, jump);
    if (c != null && c.getIdentities() != null) {
      entry.setIdentities(c.getIdentities());
    }
    return entry;
  }

  /** One command per host: the host's record of it is removed, then its session closed. */
  private void forgetAndDrop(Host host, RemoteCommand wrapper) {
    CompletableFuture<ClientSession> f = sessions.remove(host.index());
    if (f == null || !f.isDone() || f.isCompletedExceptionally()) {
      return;
    }
    ClientSession s = f.join();
    if (wrapper == null || !s.isOpen()) {
      s.close(false);
      return;
    }
    run(s, wrapper.forget(), OWN_COMMAND_MILLIS).whenComplete((o, e) -> s.close(false));
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
    while ((e instanceof CompletionException
            || e instanceof ExecutionException
            || (e instanceof SshException && e.getCause() != null))
        && e.getCause() != null) {
      e = e.getCause();
    }
    String where = host.user() + "@" + host.address() + ":" + host.port();
    String message = e.getMessage() == null ? "" : e.getMessage();
    String lower = message.toLowerCase(Locale.ROOT);
    String why;
    if (e instanceof Logins.Failed) {
      why = message;
    } else if (e instanceof UnresolvedAddressException || e instanceof UnknownHostException) {
      why =
          "the host name `"
              + host.address()
              + "` cannot be resolved: check the inventory's `address` (or the DNS)";
    } else if (e instanceof ConnectException) {
      why =
          lower.contains("refused")
              ? "connection refused: nothing listens on port " + host.port() + " (is sshd running?)"
              : "cannot connect: " + message;
    } else if (e instanceof NoRouteToHostException) {
      why = "no route to the host: " + message;
    } else if (lower.contains("no more authentication methods")) {
      why =
          "authentication failed: the host accepted none of the keys offered (identities: "
              + (settings.identities().stream()
                  .filter(Files::isReadable)
                  .map(Path::toString)
                  .toList())
              + (settings.agent() != null ? ", and the ssh-agent's keys" : "")
              + "); check the host's authorized_keys for "
              + host.user();
    } else if (lower.contains("auth")) {
      why = "authentication failed: " + message;
    } else if (e instanceof TimeoutException) {
      why = "timed out: " + message;
    } else {
      why = message.isEmpty() ? e.getClass().getSimpleName() : message;
    }
    return "cannot reach " + where + ": " + why;
  }

  /**
   * Ends what still runs on the hosts (each command's process group: TERM, then KILL after the
   * grace period), removes the hosts' records of this run's commands, then closes every session.
   * Bounded in time: a host that does not answer is left as it is.
   */
  /** Ends the process group of every command running now, waiting for it (bounded). */
  @Override
  public void abortRunning() {
    running.keySet().forEach(w -> aborted.put(w, true));
    running.forEach((wrapper, host) -> end(host, wrapper));
  }

  /** Ends what still runs on the hosts, waiting at most the grace period and a little more. */
  private void endRunning() {
    List<CompletableFuture<?>> ending = new ArrayList<>();
    running.forEach((wrapper, host) -> ending.add(end(host, wrapper)));
    await(ending, limits.killGraceMillis() + 5_000);
  }

  @Override
  public void close() {
    try {
      Runtime.getRuntime().removeShutdownHook(onExit);
    } catch (IllegalStateException e) {
      // the JVM is stopping: the hook does the ending
    }
    endRunning();
    List<CompletableFuture<?>> forgetting = new ArrayList<>();
    RemoteCommand any = new RemoteCommand(record, "end");
    sessions.forEach(
        (index, session) -> {
          if (session.isDone() && !session.isCompletedExceptionally() && session.join().isOpen()) {
            forgetting.add(run(session.join(), any.forget(), 5_000));
          }
        });
    await(forgetting, 5_000);
    timers.shutdownNow();
    httpWorkers.shutdownNow();
    httpCheck.close();
    try {
      client.stop();
    } catch (RuntimeException ignored) {
      // closing: nothing left to do with it
    }
  }

  private static void await(List<CompletableFuture<?>> futures, long millis) {
    try {
      CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new))
          .get(millis, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      // bounded: what did not answer in time is left as it is
    }
  }
}
