package io.upshift.journal;

import io.upshift.engine.RunPhase;

/**
 * A run as the journal knows it, apart from its events.
 *
 * @param id a short id, e.g. {@code 20261126-143005-3fa2}
 * @param createdAt when it was created (ISO-8601, UTC)
 * @param planFile the plan file, as given
 * @param planName the plan's name
 * @param fingerprint what the run was started from (see {@link Fingerprint}), as text
 * @param target sim, local or ssh
 * @param seed the seed of a rehearsal
 * @param options the run's command-line options that resume keeps, as {@code key=value} lines
 * @param status the latest status word (running, paused, succeeded, ...)
 * @param detail why it is paused or halted, or empty
 * @param gate the id of the approval gate it waits at ({@code 2.3}), or empty
 * @param owner the process that drives it ({@code pid@host}), or null when none does
 * @param ownerStart when that process started ({@link Owner}), or 0 when not recorded (journals
 *     written before it was)
 * @param heartbeatAt when the owner last said it was alive (epoch millis), or 0
 * @param updatedAt when the status last changed (ISO-8601, UTC)
 */
public record RunRecord(
    String id,
    String createdAt,
    String planFile,
    String planName,
    String fingerprint,
    String target,
    long seed,
    String options,
    String status,
    String detail,
    String gate,
    String owner,
    long ownerStart,
    long heartbeatAt,
    String updatedAt) {

  /**
   * Whether a live process drives the run: on this host, its owner's process runs and is the one
   * that started driving it (not a zombie, not another process given its id); elsewhere, its
   * heartbeat is fresh. See {@link Owner#alive}.
   */
  public boolean live(long nowMillis) {
    return Owner.alive(owner, ownerStart, heartbeatAt, nowMillis);
  }

  /**
   * The run's status as commands show it ({@code running}, {@code paused}, {@code succeeded}...),
   * whichever way the record stores it (a phase's name, or an older journal's word).
   */
  public String statusWord() {
    return RunPhase.ofRecord(status).word();
  }
}
