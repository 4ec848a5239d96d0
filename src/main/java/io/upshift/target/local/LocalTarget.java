package io.upshift.target.local;

import io.upshift.clock.RunClock;
import io.upshift.engine.Execution;
import io.upshift.engine.Outcome;
import io.upshift.engine.Target;
import io.upshift.plan.Check;
import io.upshift.plan.Plan;
import io.upshift.plan.RenderException;
import io.upshift.plan.Step;
import io.upshift.plan.StepKind;
import io.upshift.plan.Template;
import io.upshift.source.Problems;
import io.upshift.target.BuiltIn;
import io.upshift.target.Rendering;
import io.upshift.target.SecretInput;
import io.upshift.target.Secrets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.function.Consumer;

/**
 * Runs steps as real processes on this machine: {@code command} steps, checks, and any step given a
 * {@code run:} command. Every inventory host maps to this machine; the host's values reach the
 * command through placeholders (shell-quoted) and {@code UPSHIFT_*} environment variables. For
 * tests and single-host use.
 */
public final class LocalTarget implements Target {
  /** How much output of one command is kept. */
  public static final int OUTPUT_CAP = 64 * 1024;

  private final Plan plan;
  private final Secrets secrets;
  private final RunClock clock;
  private final Path workDir;
  private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
  private final Semaphore slots;
  private final ProcessRunner processes;
  private final HttpCheck httpCheck;

  /**
   * @param workDir the directory commands run in (the plan's folder)
   * @param maxProcesses how many commands may run at once
   */
  public LocalTarget(Plan plan, RunClock clock, Path workDir, int maxProcesses) {
    this(plan, clock, workDir, maxProcesses, Secrets.NONE);
  }

  /** A target whose commands may use the run's secrets. */
  public LocalTarget(Plan plan, RunClock clock, Path workDir, int maxProcesses, Secrets secrets) {
    this.secrets = secrets;
    this.plan = plan;
    this.clock = clock;
    this.workDir = workDir;
    this.slots = new Semaphore(maxProcesses);
    this.processes = new ProcessRunner(workDir, workers);
    this.httpCheck = new HttpCheck(workers);
  }

  @Override
  public String name() {
    return "local";
  }

  @Override
  public void check(Plan plan, Problems problems) {
    for (Step step : plan.steps()) {
      boolean runnable =
          Rendering.hasOwnCommand(step)
              || balanced(plan, step)
              || ((step.kind() == StepKind.DB_BACKUP || step.snapshot() != null)
                  && Arrays.stream(step.hosts())
                      .allMatch(h -> BuiltIn.renders(plan, step, plan.inventory().host(h))));
      if (!runnable) {
        problems.error(
            step.at(),
            "target-local",
            "the local target cannot perform a built-in `" + step.kind().key() + "` step by itself",
            "give the step a `run:` command, or rehearse the plan with `--target sim`");
      }
    }
  }

  /** Whether a drain or undrain without `run:` has a load balancer for every host. */
  private static boolean balanced(Plan plan, Step step) {
    for (int h : step.hosts()) {
      var host = plan.inventory().host(h);
      if (BuiltIn.balancer(plan, step, host, Template.values(plan, step, host)).isEmpty()) {
        return false;
      }
    }
    return step.hosts().length > 0;
  }

  @Override
  public void start(Execution execution, Consumer<Outcome> done) {
    workers.execute(
        () -> {
          Outcome outcome;
          try {
            slots.acquire();
            try {
              outcome = execute(execution);
            } finally {
              slots.release();
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            outcome = Outcome.failure(-1, "", "interrupted");
          } catch (RuntimeException | StackOverflowError e) {
            outcome = Outcome.failure(-1, "", "local target error: " + e);
          } catch (Throwable e) {
            outcome = Outcome.failure(-1, "", "local target error: " + e);
            Outcome result = outcome;
            clock.post(() -> done.accept(result));
            throw e;
          }
          Outcome result = outcome;
          clock.post(() -> done.accept(result));
        });
  }

  private Outcome execute(Execution e) throws InterruptedException {
    Step step = e.step();
    Map<String, String> values = Rendering.values(plan, e, secrets);
    if (e.phase() == Execution.Phase.ACTION) {
      var drain = BuiltIn.balancer(plan, step, e.host(), values);
      if (drain.isPresent()) {
        return BuiltIn.drain(drain.get(), step.timeoutMillis());
      }
    }
    String url = Rendering.url(e, values);
    if (url != null) {
      return httpCheck(url, Rendering.expectation(e), step.timeoutMillis());
    }
    // secrets go on the command's input, not its line, which every local user can read
    SecretInput.Command command;
    try {
      command = Rendering.command(plan, e, values, "");
    } catch (RenderException refused) {
      return Outcome.failure(-1, "", "not run: " + refused.getMessage());
    }
    if (command == null) {
      return Outcome.success(0, "");
    }
    Outcome o = processes.run(command, values, step.timeoutMillis());
    boolean check = e.phase() == Execution.Phase.CHECK || step.kind() == StepKind.CHECK;
    return check ? Rendering.expect(o, step.check()) : Rendering.asStep(o);
  }

  private Outcome httpCheck(String url, Check check, long timeoutMillis)
      throws InterruptedException {
    return httpCheck.get(url, check, timeoutMillis);
  }

  @Override
  public void abortRunning() {
    ProcessRunner.killAll();
  }

  @Override
  public void close() {
    workers.shutdownNow();
    httpCheck.close();
  }
}
