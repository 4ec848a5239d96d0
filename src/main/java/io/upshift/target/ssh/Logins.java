package io.upshift.target.ssh;

import io.upshift.plan.DurationModel;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.config.hosts.HostConfigEntry;
import org.apache.sshd.client.future.ConnectFuture;
import org.apache.sshd.client.session.ClientSession;

/**
 * Opens SSH sessions a bounded number at a time, each phase with its own deadline: the TCP
 * connection ({@code connect-timeout}), then the server's greeting, the key exchange and
 * authentication together ({@code login-timeout}). A deadline starts when the login does, not when
 * it was asked for: a host never fails because the orchestrator was slow to get to it. A login that
 * misses its deadline fails with the phase that stalled.
 */
final class Logins {
  /** Why a login failed, in words, and whether it stalled in a phase (a timeout). */
  static final class Failed extends IOException {
    Failed(String message) {
      super(message);
    }
  }

  private final SshClient client;
  private final HostKeys keys;
  private final ScheduledExecutorService timers;
  private final long connectMillis;
  private final long loginMillis;
  private final Gate gate;

  Logins(
      SshClient client,
      HostKeys keys,
      ScheduledExecutorService timers,
      long connectMillis,
      long loginMillis,
      int maxConnecting) {
    this.client = client;
    this.keys = keys;
    this.timers = timers;
    this.connectMillis = connectMillis;
    this.loginMillis = loginMillis;
    this.gate = new Gate(maxConnecting, timers);
  }

  /** A session to {@code entry}, connected and authenticated, when its turn comes. */
  CompletableFuture<ClientSession> open(HostConfigEntry entry) {
    CompletableFuture<ClientSession> out = new CompletableFuture<>();
    gate.enter(
        () -> {
          out.whenComplete((s, e) -> gate.leave());
          attempt(entry, out);
        });
    return out;
  }

  private void attempt(HostConfigEntry entry, CompletableFuture<ClientSession> out) {
    ConnectFuture connecting;
    try {
      connecting = client.connect(entry, null, null);
    } catch (IOException | RuntimeException e) {
      out.completeExceptionally(e);
      return;
    }
    var connectTimer =
        timers.schedule(
            () -> {
              if (out.completeExceptionally(
                  new Failed(
                      "timed out connecting: no answer to the TCP connection in "
                          + seconds(connectMillis)
                          + " (the host is down, or a firewall drops the packets)"))) {
                connecting.cancel();
              }
            },
            connectMillis,
            TimeUnit.MILLISECONDS);
    connecting.addListener(
        f -> {
          connectTimer.cancel(false);
          if (!f.isConnected()) {
            Throwable e = f.getException();
            out.completeExceptionally(e != null ? e : new Failed("the connection was cancelled"));
            return;
          }
          ClientSession session = f.getSession();
          if (out.isDone()) {
            session.close(true); // it came after its deadline
            return;
          }
          login(session, out);
        });
  }

  private void login(ClientSession session, CompletableFuture<ClientSession> out) {
    var loginTimer =
        timers.schedule(
            () -> {
              String phase =
                  session.getServerVersion() == null
                      ? "waiting for the SSH server's greeting: the host accepted the connection but"
                          + " said nothing (an overloaded sshd, its MaxStartups, or not an SSH"
                          + " server)"
                      : session.getSessionId() == null
                          ? "in the key exchange with " + session.getServerVersion()
                          : "authenticating: the server did not answer the login";
              if (out.completeExceptionally(
                  new Failed(
                      "timed out " + phase + " (login-timeout " + seconds(loginMillis) + ")"))) {
                session.close(true);
              }
            },
            loginMillis,
            TimeUnit.MILLISECONDS);
    try {
      session
          .auth()
          .addListener(
              af -> {
                loginTimer.cancel(false);
                if (af.isSuccess()) {
                  if (!out.complete(session)) {
                    session.close(true);
                  }
                  return;
                }
                String key = keys.takeProblem(session);
                session.close(true);
                out.completeExceptionally(
                    key != null
                        ? new Failed(key)
                        : af.getException() != null
                            ? af.getException()
                            : new Failed("authentication failed"));
              });
    } catch (IOException e) {
      loginTimer.cancel(false);
      String key = keys.takeProblem(session);
      out.completeExceptionally(key != null ? new Failed(key) : e);
    }
  }

  static String seconds(long millis) {
    return DurationModel.format(millis);
  }

  /** Lets at most {@code max} holders in at once; the others wait in order. */
  static final class Gate {
    private final int max;
    private final ScheduledExecutorService runner;
    private final ArrayDeque<Runnable> waiting = new ArrayDeque<>();
    private int inside;

    Gate(int max, ScheduledExecutorService runner) {
      this.max = max;
      this.runner = runner;
    }

    /** Runs {@code r} now if there is room, else when a holder leaves. */
    void enter(Runnable r) {
      synchronized (this) {
        if (inside >= max) {
          waiting.add(r);
          return;
        }
        inside++;
      }
      r.run();
    }

    /** A holder leaves: the next waiting one goes in (on the runner, not this thread's stack). */
    void leave() {
      Runnable next;
      synchronized (this) {
        next = waiting.poll();
        if (next == null) {
          inside--;
          return;
        }
      }
      runner.execute(next);
    }
  }
}
