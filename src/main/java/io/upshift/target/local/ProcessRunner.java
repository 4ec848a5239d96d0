package io.upshift.target.local;

import io.upshift.engine.Outcome;
import io.upshift.plan.DurationModel;
import io.upshift.target.CappedOutput;
import io.upshift.target.Rendering;
import io.upshift.target.SecretInput;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs one shell command in a process group of its own, so that a timeout (or Upshift being
 * stopped) kills everything the command started, including children that left its process tree.
 * Output is capped; the environment gets {@code UPSHIFT_*} variables for names that can be ones.
 */
final class ProcessRunner {
  private static final String SETSID =
      Files.isExecutable(Path.of("/usr/bin/setsid")) ? "/usr/bin/setsid" : null;

  /** Process groups running now, killed if the JVM is asked to stop. */
  private static final Set<Long> RUNNING = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(() -> RUNNING.forEach(ProcessRunner::killGroup), "upshift-kill-commands"));
  }

  private final Path workDir;
  private final ExecutorService workers;

  ProcessRunner(Path workDir, ExecutorService workers) {
    this.workDir = workDir;
    this.workers = workers;
  }

  /** Runs a command, writing its input first (the secrets it reads), then closing it. */
  Outcome run(SecretInput.Command run, Map<String, String> values, long timeoutMillis)
      throws InterruptedException {
    String command = run.text();
    ProcessBuilder pb =
        SETSID != null
            ? new ProcessBuilder(SETSID, "/bin/sh", "-c", command)
            : new ProcessBuilder("/bin/sh", "-c", command);
    pb.directory(workDir.toFile()).redirectErrorStream(true);
    pb.environment().putAll(Rendering.environment(values));
    Process process;
    try {
      process = pb.start();
    } catch (IOException ex) {
      return Outcome.failure(-1, "", "cannot start /bin/sh: " + ex.getMessage());
    }
    long group = process.pid();
    RUNNING.add(group);
    try {
      try (var in = process.getOutputStream()) {
        in.write(run.input());
      } catch (IOException ignored) {
        // The command does not read its input (it exited, or closed it, first).
      }
      CappedOutput output = new CappedOutput(LocalTarget.OUTPUT_CAP);
      Future<?> reader =
          workers.submit(
              () -> {
                output.drain(process.getInputStream());
                return null;
              });
      boolean exited;
      try {
        exited = process.waitFor(timeoutMillis, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        killGroup(group);
        process.destroyForcibly();
        throw e;
      }
      if (!exited) {
        killGroup(group);
        process.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
      }
      try {
        // A background child that keeps the output open must not hold the step.
        reader.get(exited ? 1 : 5, TimeUnit.SECONDS);
      } catch (ExecutionException | TimeoutException ex) {
        reader.cancel(true);
      }
      String text = output.text();
      if (!exited) {
        return Outcome.failure(-1, text, "timed out after " + DurationModel.format(timeoutMillis));
      }
      int exit = process.exitValue();
      return exit == 0
          ? Outcome.success(0, text)
          : Outcome.failure(exit, text, "exit status " + exit);
    } finally {
      RUNNING.remove(group);
    }
  }

  /** Kills every command running now (the run was aborted); their outcomes follow as failures. */
  static void killAll() {
    RUNNING.forEach(ProcessRunner::killGroup);
  }

  /** Kills a command's whole process group (its shell and whatever it started). */
  static void killGroup(long group) {
    ProcessHandle.of(group).ifPresent(h -> h.descendants().forEach(ProcessHandle::destroyForcibly));
    if (SETSID != null) {
      try {
        new ProcessBuilder("kill", "-KILL", "--", "-" + group)
            .redirectErrorStream(true)
            .start()
            .waitFor(2, TimeUnit.SECONDS);
      } catch (IOException e) {
        // The group is gone already, or kill is missing: the descendants were killed above.
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
