package io.upshift.target.local;

import io.upshift.clock.RunClock;
import io.upshift.plan.Check;
import io.upshift.plan.DurationModel;
import io.upshift.plan.Plan;
import io.upshift.plan.Step;
import io.upshift.plan.StepKind;
import io.upshift.plan.Template;
import io.upshift.source.Problems;
import io.upshift.target.Execution;
import io.upshift.target.Outcome;
import io.upshift.target.Target;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Pattern;

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
  private final RunClock clock;
  private final Path workDir;
  private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
  private final Semaphore slots;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  /**
   * @param workDir the directory commands run in (the plan's folder)
   * @param maxProcesses how many commands may run at once
   */
  public LocalTarget(Plan plan, RunClock clock, Path workDir, int maxProcesses) {
    this.plan = plan;
    this.clock = clock;
    this.workDir = workDir;
    this.slots = new Semaphore(maxProcesses);
  }

  @Override
  public String name() {
    return "local";
  }

  @Override
  public void check(Plan plan, Problems problems) {
    for (Step step : plan.steps()) {
      boolean runnable =
          step.kind() == StepKind.COMMAND
              || step.kind() == StepKind.CHECK
              || step.kind() == StepKind.APPROVE
              || step.run() != null;
      if (!runnable) {
        problems.error(
            step.at(),
            "target-local",
            "the local target cannot perform a built-in `" + step.kind().key() + "` step by itself",
            "give the step a `run:` command, or rehearse the plan with `--target sim`");
      }
    }
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
          } catch (RuntimeException e) {
            outcome = Outcome.failure(-1, "", "local target error: " + e);
          }
          Outcome result = outcome;
          clock.post(() -> done.accept(result));
        });
  }

  private Outcome execute(Execution e) throws InterruptedException {
    Step step = e.step();
    Map<String, String> values = Template.values(plan, step, e.host());
    if (e.phase() == Execution.Phase.CHECK || step.kind() == StepKind.CHECK) {
      Check check = step.check();
      if (check.http() != null) {
        return httpCheck(
            Template.render(check.http(), values, Template::urlEncode),
            check,
            step.timeoutMillis());
      }
      Outcome o =
          command(
              Template.render(check.command(), values, Template::shellQuote),
              values,
              step.timeoutMillis());
      return expect(o, check);
    }
    if (step.kind() == StepKind.APPROVE) {
      return Outcome.success(0, "");
    }
    Outcome o =
        command(
            Template.render(step.run(), values, Template::shellQuote),
            values,
            step.timeoutMillis());
    return o.exitCode() == 0 && o.reason().isEmpty() ? Outcome.success(0, o.output()) : o;
  }

  private Outcome command(String command, Map<String, String> values, long timeoutMillis)
      throws InterruptedException {
    ProcessBuilder pb =
        new ProcessBuilder("/bin/sh", "-c", command)
            .directory(workDir.toFile())
            .redirectErrorStream(true);
    Map<String, String> env = pb.environment();
    values.forEach(
        (k, v) ->
            env.put(
                "UPSHIFT_"
                    + k.toUpperCase(java.util.Locale.ROOT).replace('.', '_').replace('-', '_'),
                v));
    Process process;
    try {
      process = pb.start();
    } catch (IOException ex) {
      return Outcome.failure(-1, "", "cannot start /bin/sh: " + ex.getMessage());
    }
    try {
      process.getOutputStream().close();
    } catch (IOException ignored) {
      // The command does not read its input.
    }
    CappedOutput output = new CappedOutput(OUTPUT_CAP);
    var reader =
        workers.submit(
            () -> {
              output.drain(process.getInputStream());
              return null;
            });
    boolean exited = process.waitFor(timeoutMillis, TimeUnit.MILLISECONDS);
    if (!exited) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      process.waitFor();
    }
    try {
      reader.get(5, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException ex) {
      // Output of a killed process group may end abruptly; what was read is kept.
    }
    String text = output.text();
    if (!exited) {
      return Outcome.failure(-1, text, "timed out after " + DurationModel.format(timeoutMillis));
    }
    int exit = process.exitValue();
    return exit == 0
        ? Outcome.success(0, text)
        : Outcome.failure(exit, text, "exit status " + exit);
  }

  private static Outcome expect(Outcome o, Check check) {
    if (o.reason().startsWith("timed out") || o.reason().startsWith("cannot start")) {
      return o;
    }
    if (o.exitCode() != check.expectExit()) {
      return Outcome.failure(
          o.exitCode(),
          o.output(),
          "check wanted exit status " + check.expectExit() + ", got " + o.exitCode());
    }
    if (check.expectOutput() != null
        && !Pattern.compile(check.expectOutput()).matcher(o.output()).find()) {
      return Outcome.failure(
          o.exitCode(), o.output(), "check output does not match /" + check.expectOutput() + "/");
    }
    return Outcome.success(o.exitCode(), o.output());
  }

  private Outcome httpCheck(String url, Check check, long timeoutMillis)
      throws InterruptedException {
    try {
      HttpRequest request =
          HttpRequest.newBuilder(URI.create(url))
              .timeout(Duration.ofMillis(timeoutMillis))
              .GET()
              .build();
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      String body =
          response.body().length() > OUTPUT_CAP
              ? response.body().substring(0, OUTPUT_CAP)
              : response.body();
      if (response.statusCode() != check.expectStatus()) {
        return Outcome.failure(
            response.statusCode(),
            body,
            "GET "
                + url
                + " returned "
                + response.statusCode()
                + ", wanted "
                + check.expectStatus());
      }
      if (check.expectOutput() != null
          && !Pattern.compile(check.expectOutput()).matcher(body).find()) {
        return Outcome.failure(
            response.statusCode(),
            body,
            "GET " + url + ": body does not match /" + check.expectOutput() + "/");
      }
      return Outcome.success(response.statusCode(), body);
    } catch (IOException | IllegalArgumentException ex) {
      return Outcome.failure(-1, "", "GET " + url + " failed: " + ex.getMessage());
    }
  }

  @Override
  public void close() {
    workers.shutdownNow();
  }
}
