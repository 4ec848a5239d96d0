package io.upshift.plan;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The built-in kinds of step, each with its declared effects. An effect that makes things worse (a
 * stop, a drain) holds from the moment the step starts on a host; one that makes things better (a
 * start, an undrain, a new version) holds from the moment it has finished there. That is the
 * pessimistic reading the capability windows and the verifier rely on.
 */
public enum StepKind {
  /** Stops the named components. */
  STOP("stop", Subject.COMPONENTS, Effect.STOPS, null, false, 30_000),
  /** Starts the named components. */
  START("start", Subject.COMPONENTS, null, Effect.STARTS, false, 60_000),
  /** Stops then starts the named components. */
  RESTART("restart", Subject.COMPONENTS, Effect.STOPS, Effect.STARTS, false, 90_000),
  /** Takes the named components out of their load balancer. */
  DRAIN("drain", Subject.COMPONENTS, Effect.DRAINS, null, false, 10_000),
  /** Puts the named components back into their load balancer. */
  UNDRAIN("undrain", Subject.COMPONENTS, null, Effect.UNDRAINS, false, 10_000),
  /** Installs the target version of the named components' packages. */
  UPGRADE("upgrade", Subject.COMPONENTS, null, null, true, 300_000),
  /** Dumps the named databases. */
  DB_BACKUP("db-backup", Subject.DATABASES, null, null, false, 600_000),
  /** Migrates the named databases' schemas to the target version. */
  DB_SYNC("db-sync", Subject.DATABASES, null, null, true, 600_000),
  /** Reboots the host: every component on it is down until the host is back. */
  REBOOT("reboot", Subject.NONE, Effect.STOPS, null, false, 600_000),
  /** Switches package repositories: some disabled, others enabled (yum or dnf). */
  REPO("repo", Subject.REPOSITORIES, null, null, false, 30_000),
  /** Pauses or resumes configuration management (Puppet) on the hosts, with a reason. */
  CONFIG_MANAGEMENT("config-management", Subject.SETTING, null, null, false, 10_000),
  /** Runs a command. */
  COMMAND("command", Subject.COMMAND, null, null, false, 30_000),
  /** Runs a check; a failure stops the host's progress like any failed step. */
  CHECK("check", Subject.CHECK, null, null, false, 15_000),
  /** Captures a command's output, an SQL query's rows or an HTTP body under a name. */
  SNAPSHOT("snapshot", Subject.SNAPSHOT, null, null, false, 10_000),
  /** Captures a snapshot again and fails where it differs from the one taken before. */
  COMPARE("compare", Subject.SNAPSHOT, null, null, false, 10_000),
  /** Waits for an operator's approval. */
  APPROVE("approve", Subject.PROMPT, null, null, false, 0);

  /**
   * A change to a component instance. A component is serving when its process runs and it is in its
   * load balancer's rotation; the two are changed apart, so a service started while drained stays
   * out of rotation until undrained.
   */
  public enum Effect {
    /** The process stops. */
    STOPS,
    /** The process runs. */
    STARTS,
    /** Out of the load balancer's rotation. */
    DRAINS,
    /** Back in the load balancer's rotation. */
    UNDRAINS
  }

  /** What the value of the kind's key names. */
  public enum Subject {
    COMPONENTS,
    DATABASES,
    COMMAND,
    CHECK,
    PROMPT,
    SNAPSHOT,
    REPOSITORIES,
    SETTING,
    NONE
  }

  private final String key;
  private final Subject subject;
  private final Effect during;
  private final Effect after;
  private final boolean changesVersion;
  private final long defaultMillis;

  StepKind(
      String key,
      Subject subject,
      Effect during,
      Effect after,
      boolean changesVersion,
      long defaultMillis) {
    this.key = key;
    this.subject = subject;
    this.during = during;
    this.after = after;
    this.changesVersion = changesVersion;
    this.defaultMillis = defaultMillis;
  }

  /** The YAML key that introduces a step of this kind. */
  public String key() {
    return key;
  }

  public Subject subject() {
    return subject;
  }

  /** What the step does to its subject components from the moment it starts on a host. */
  public Optional<Effect> during() {
    return Optional.ofNullable(during);
  }

  /** What the step does to its subject components once it has succeeded on a host. */
  public Optional<Effect> after() {
    return Optional.ofNullable(after);
  }

  /** Whether success moves the subjects (components or database schemas) to the target version. */
  public boolean changesVersion() {
    return changesVersion;
  }

  /** The duration used in rehearsal when the plan gives none. */
  public DurationModel defaultDuration() {
    return DurationModel.fixed(defaultMillis);
  }

  /**
   * What resume does by default with an action of this kind that may or may not have run: kinds
   * that can safely run twice run again; a reboot is settled by its check; a schema migration, a
   * backup and an arbitrary command are for the operator to settle (a plan may say otherwise per
   * step with {@code in-doubt:}).
   */
  public InDoubt inDoubt() {
    return switch (this) {
      case STOP,
          START,
          RESTART,
          DRAIN,
          UNDRAIN,
          UPGRADE,
          CHECK,
          APPROVE,
          SNAPSHOT,
          COMPARE,
          REPO,
          CONFIG_MANAGEMENT ->
          InDoubt.RERUN;
      case REBOOT -> InDoubt.CHECK;
      case DB_BACKUP, DB_SYNC, COMMAND -> InDoubt.ASK;
    };
  }

  /** Whether the step acts on hosts (an approval does not). */
  public boolean runsOnHosts() {
    return this != APPROVE;
  }

  public static Optional<StepKind> byKey(String key) {
    for (StepKind k : values()) {
      if (k.key.equals(key)) {
        return Optional.of(k);
      }
    }
    return Optional.empty();
  }

  public static List<String> keys() {
    return Arrays.stream(values()).map(StepKind::key).toList();
  }
}
