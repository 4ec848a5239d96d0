package io.upshift.target.ssh;

/**
 * The shell text that runs one action's command on a POSIX host so that it can be stopped and
 * accounted for: the command runs in a subshell of the shell sshd started (that shell leads the
 * process group of everything the command starts), and the shell appends to a record on the host,
 * one line when the command starts (with the group's id) and one when it ends (with its status).
 *
 * <p>The record lets Upshift end the whole process group of a command that timed out (TERM, then
 * KILL after a grace period), and learn how a command ended after its connection dropped.
 *
 * @param record the record's path on the host, relative to the login's home directory
 * @param key the action's key in the record (letters, digits, dots and dashes only)
 */
record RemoteCommand(String record, String key) {

  RemoteCommand {
    if (!record.matches("[A-Za-z0-9._/-]+") || !key.matches("[A-Za-z0-9._-]+")) {
      throw new IllegalArgumentException("not a plain record path or key: " + record + " " + key);
    }
  }

  /** Sets F to the record's path, creating its folder if needed (errors are not the command's). */
  private String file() {
    return "F=\"$HOME/" + record + "\"; ";
  }

  /**
   * {@code command} wrapped: the start line (with the process group's id), the command in a
   * subshell (so that its own {@code exit} still reaches the end line), the end line, and the
   * command's status as the shell's. The command starts on a line of its own and is followed by a
   * newline, so that a comment or a here-document in it ends where it should.
   */
  String wrap(String command) {
    return file()
        + "{ [ -d \"${F%/*}\" ] || mkdir -p \"${F%/*}\"; echo \"s "
        + key
        + " $$\" >>\"$F\"; } 2>/dev/null; (\n"
        + command
        + "\n); s=$?; { echo \"e "
        + key
        + " $s\" >>\"$F\"; } 2>/dev/null; exit $s";
  }

  /**
   * Ends the command's process group: TERM, then KILL if anything of it is still there after {@code
   * graceSeconds}. Prints {@code ended} or {@code gone} (nothing was left to end).
   */
  String kill(long graceSeconds) {
    long steps = Math.max(1, graceSeconds * 5);
    return file()
        + "p=$(sed -n 's/^s "
        + quoted(key)
        + " //p' \"$F\" 2>/dev/null | tail -n 1); "
        + "[ -n \"$p\" ] || { echo gone; exit 0; }; "
        + "kill -s TERM -- \"-$p\" 2>/dev/null || kill -s TERM \"$p\" 2>/dev/null || { echo gone; exit 0; }; "
        + "i=0; while [ $i -lt "
        + steps
        + " ] && kill -0 -- \"-$p\" 2>/dev/null; do sleep 0.2; i=$((i+1)); done; "
        + "kill -s KILL -- \"-$p\" 2>/dev/null; echo ended";
  }

  /**
   * Tells how the command stands: {@code ended STATUS}, {@code running} (its process group is
   * there), {@code vanished} (it started, and its group is gone without an end), or {@code unknown}
   * (the record does not hold its start).
   */
  String status() {
    return file()
        + "e=$(sed -n 's/^e "
        + quoted(key)
        + " //p' \"$F\" 2>/dev/null | tail -n 1); "
        + "if [ -n \"$e\" ]; then echo \"ended $e\"; exit 0; fi; "
        + "p=$(sed -n 's/^s "
        + quoted(key)
        + " //p' \"$F\" 2>/dev/null | tail -n 1); "
        + "if [ -z \"$p\" ]; then echo unknown; elif kill -0 -- \"-$p\" 2>/dev/null; then echo running;"
        + " else echo vanished; fi";
  }

  /** Removes the record (at the end of a run). */
  String forget() {
    return file() + "rm -f \"$F\"";
  }

  /** The key with the dots escaped for a sed pattern. */
  private static String quoted(String key) {
    return key.replace(".", "\\.");
  }
}
