package io.upshift.target;

import io.upshift.engine.Execution;
import io.upshift.engine.Outcome;
import io.upshift.plan.Check;
import io.upshift.plan.Plan;
import io.upshift.plan.Snapshot;
import io.upshift.plan.Step;
import io.upshift.plan.StepKind;
import io.upshift.plan.Template;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What a command-running target runs for an action: the step's command (or its check's, or its
 * undo), with every placeholder quoted for the place it stands in ({@link Template#shell}), and the
 * {@code UPSHIFT_*} variables that carry the same values; and how a check's expectations judge an
 * outcome. Shared by the local and SSH targets.
 */
public final class Rendering {
  private Rendering() {}

  /** Whether a step runs a command of its own (a command, a check, a `run:`), or none (approve). */
  public static boolean hasOwnCommand(Step step) {
    return step.kind() == StepKind.COMMAND
        || step.kind() == StepKind.CHECK
        || step.kind() == StepKind.APPROVE
        || step.run() != null;
  }

  /** The placeholder values for an action, with the run's secrets as {@code secret.NAME}. */
  public static Map<String, String> values(Plan plan, Execution e, Secrets secrets) {
    Map<String, String> v = Template.values(plan, e.step(), e.host());
    v.putAll(secrets.placeholders());
    return v;
  }

  /**
   * The shell command of an action, placeholders quoted for the host (POSIX shell, or PowerShell on
   * Windows); a built-in step without {@code run:} rendered for the host ({@link BuiltIn}); null
   * for an approval, for an HTTP check (see {@link #url}), and for a built-in step not rendered.
   *
   * @throws io.upshift.plan.RenderException when a value cannot be placed safely (a NUL in a label,
   *     a line of a value that would end its here-document, ...): the message names its source
   */
  public static String command(Plan plan, Execution e, Map<String, String> values) {
    Step step = e.step();
    String text;
    if (e.phase() == Execution.Phase.UNDO) {
      text = step.undo();
    } else if (e.phase() == Execution.Phase.CHECK || step.kind() == StepKind.CHECK) {
      text = step.check().command();
    } else if (step.kind() == StepKind.APPROVE) {
      text = null;
    } else if (step.snapshot() != null) {
      Snapshot s = step.snapshot();
      if (s.sql() != null) {
        return BuiltIn.query(plan, s, e.host(), values).orElse(null);
      }
      text = s.command(); // null for an HTTP snapshot (see #url)
    } else if (step.run() == null && step.kind() == StepKind.DB_BACKUP) {
      return BuiltIn.backup(plan, step, e.host(), values).orElse(null);
    } else if (step.run() == null && step.kind() != StepKind.COMMAND) {
      return BuiltIn.render(plan, step, e.host()).orElse(null);
    } else {
      text = step.run();
    }
    if (text == null) {
      return null;
    }
    String host = e.host().name();
    return "windows".equals(e.host().os())
        ? Template.powershell(text, values, BuiltIn::psQuote, name -> Template.source(name, host))
        : Template.shell(text, values, name -> Template.source(name, host));
  }

  /**
   * The command of an action as a target runs it (see {@link #command}), or null when there is
   * none. On a POSIX host it starts with {@code prefix} and its secrets travel on its input ({@link
   * SecretInput}); PowerShell on Windows gets them in the command, and no prefix.
   *
   * @throws io.upshift.plan.RenderException when a value cannot be placed safely
   */
  public static SecretInput.Command command(
      Plan plan, Execution e, Map<String, String> values, String prefix) {
    if ("windows".equals(e.host().os())) {
      String command = command(plan, e, values);
      return command == null ? null : new SecretInput.Command(command);
    }
    SecretInput hidden = new SecretInput(values);
    String command = command(plan, e, hidden.values());
    return command == null ? null : hidden.finish(prefix + command);
  }

  /** The URL of an HTTP check, placeholders URL-encoded; null when the action is not one. */
  public static String url(Execution e, Map<String, String> values) {
    Step step = e.step();
    if (e.phase() == Execution.Phase.ACTION
        && step.snapshot() != null
        && step.snapshot().http() != null) {
      return Template.render(step.snapshot().http(), values, Template::urlEncode);
    }
    boolean check = e.phase() == Execution.Phase.CHECK || step.kind() == StepKind.CHECK;
    if (!check || step.check().http() == null) {
      return null;
    }
    return Template.render(step.check().http(), values, Template::urlEncode);
  }

  /** What an HTTP request of an action must answer: its check's, or 200 for an HTTP snapshot. */
  public static Check expectation(Execution e) {
    Step step = e.step();
    if (e.phase() == Execution.Phase.ACTION && step.snapshot() != null) {
      return new Check(
          null, step.snapshot().http(), 200, 0, null, step.duration(), step.snapshot().at());
    }
    return step.check();
  }

  /**
   * The {@code UPSHIFT_*} environment variables for the values (names that can be ones); secrets
   * are left out: they go only where a command names them.
   */
  public static Map<String, String> environment(Map<String, String> values) {
    Map<String, String> env = new LinkedHashMap<>();
    values.forEach(
        (k, v) -> {
          String name = Template.variable(k); // none for a secret
          if (name != null && Template.forbidden(v) == null) {
            env.put(name, v);
          }
        });
    return env;
  }

  /** A shell prefix that exports the variables: {@code export UPSHIFT_HOST='h1' ...; }. */
  public static String exports(Map<String, String> env) {
    if (env.isEmpty()) {
      return "";
    }
    StringBuilder b = new StringBuilder("export");
    env.forEach((k, v) -> b.append(' ').append(k).append('=').append(Template.shellQuote(v)));
    return b.append("; ").toString();
  }

  /** Judges a command check's outcome by its expectations (exit status, output pattern). */
  public static Outcome expect(Outcome o, Check check) {
    if (o.reason().startsWith("timed out") || o.reason().startsWith("cannot ")) {
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

  /** A command's outcome as a step's: success when it exited 0. */
  public static Outcome asStep(Outcome o) {
    return o.exitCode() == 0 && o.reason().isEmpty() ? Outcome.success(0, o.output()) : o;
  }
}
