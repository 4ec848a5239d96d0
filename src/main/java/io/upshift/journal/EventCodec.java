package io.upshift.journal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.upshift.engine.RunEvent;
import io.upshift.engine.RunStatus;
import io.upshift.plan.InDoubt;
import io.upshift.target.Execution.Phase;
import io.upshift.target.Outcome;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Turns run events into journal records and back: a stable type tag, a format version, and a small
 * JSON body whose field names are part of the journal format (see docs/internals.md). Tags and
 * field names never change meaning; a new field gets a default when an older record lacks it, and a
 * changed meaning gets a new version, decoded side by side with the old one.
 */
public final class EventCodec {
  /** The format version written today. */
  public static final int VERSION = 1;

  private static final JsonFactory JSON = new JsonFactory();

  private EventCodec() {}

  /** One event as stored. */
  public record Encoded(String type, int version, long at, String body) {}

  /** The stable tag of an event type, as stored in the journal. */
  public static String type(RunEvent e) {
    return switch (e) {
      case RunEvent.RunStarted x -> "run-started";
      case RunEvent.StageStarted x -> "stage-started";
      case RunEvent.StepStarted x -> "step-started";
      case RunEvent.BatchStarted x -> "batch-started";
      case RunEvent.PauseStarted x -> "pause-started";
      case RunEvent.ActionStarted x -> "action-started";
      case RunEvent.ActionFinished x -> "action-finished";
      case RunEvent.ActionInDoubt x -> "action-in-doubt";
      case RunEvent.Approved x -> "approved";
      case RunEvent.StepFinished x -> "step-finished";
      case RunEvent.StageFinished x -> "stage-finished";
      case RunEvent.CapabilityChanged x -> "capability-changed";
      case RunEvent.RunHalted x -> "run-halted";
      case RunEvent.RunPaused x -> "run-paused";
      case RunEvent.RunResumed x -> "run-resumed";
      case RunEvent.AbortRequested x -> "abort-requested";
      case RunEvent.RunFinished x -> "run-finished";
    };
  }

  public static Encoded encode(RunEvent event) {
    StringWriter out = new StringWriter(96);
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartObject();
      g.writeNumberField("at", event.at());
      switch (event) {
        case RunEvent.RunStarted e -> {
          g.writeStringField("plan", e.plan());
          g.writeStringField("target", e.target());
          g.writeNumberField("seed", e.seed());
          g.writeNumberField("hosts", e.hosts());
          g.writeBooleanField("auto_approve", e.autoApprove());
        }
        case RunEvent.StageStarted e -> g.writeNumberField("stage", e.stage());
        case RunEvent.StepStarted e -> {
          step(g, e.stage(), e.step());
          g.writeNumberField("hosts", e.hosts());
          g.writeNumberField("skipped", e.skipped());
        }
        case RunEvent.BatchStarted e -> {
          step(g, e.stage(), e.step());
          g.writeNumberField("group", e.group());
          g.writeNumberField("batch", e.batch());
          g.writeArrayFieldStart("hosts");
          for (int h : e.hosts()) {
            g.writeNumber(h);
          }
          g.writeEndArray();
        }
        case RunEvent.PauseStarted e -> {
          step(g, e.stage(), e.step());
          g.writeNumberField("group", e.group());
          g.writeNumberField("until", e.until());
        }
        case RunEvent.ActionStarted e -> {
          step(g, e.stage(), e.step());
          g.writeNumberField("host", e.host());
          g.writeStringField("phase", e.phase().word());
        }
        case RunEvent.ActionFinished e -> {
          step(g, e.stage(), e.step());
          g.writeNumberField("host", e.host());
          g.writeStringField("phase", e.phase().word());
          g.writeBooleanField("ok", e.outcome().ok());
          g.writeNumberField("exit", e.outcome().exitCode());
          if (!e.outcome().output().isEmpty()) {
            g.writeStringField("output", e.outcome().output());
          }
          if (!e.outcome().reason().isEmpty()) {
            g.writeStringField("reason", e.outcome().reason());
          }
        }
        case RunEvent.ActionInDoubt e -> {
          step(g, e.stage(), e.step());
          g.writeNumberField("host", e.host());
          g.writeStringField("phase", e.phase().word());
          g.writeStringField("resolution", e.resolution().word());
        }
        case RunEvent.Approved e -> {
          step(g, e.stage(), e.step());
          g.writeStringField("by", e.by());
          g.writeStringField("comment", e.comment());
        }
        case RunEvent.StepFinished e -> {
          step(g, e.stage(), e.step());
          g.writeNumberField("succeeded", e.succeeded());
          g.writeNumberField("failed", e.failed());
          g.writeNumberField("skipped", e.skipped());
        }
        case RunEvent.StageFinished e -> {
          g.writeNumberField("stage", e.stage());
          g.writeStringField("status", e.status().word());
        }
        case RunEvent.CapabilityChanged e -> {
          g.writeStringField("capability", e.capability());
          g.writeBooleanField("up", e.up());
        }
        case RunEvent.RunHalted e -> g.writeStringField("reason", e.reason());
        case RunEvent.RunPaused e -> {
          step(g, e.stage(), e.step());
          g.writeStringField("reason", e.reason());
        }
        case RunEvent.RunResumed e -> {
          g.writeStringField("by", e.by());
          g.writeStringField("reason", e.reason());
        }
        case RunEvent.AbortRequested e -> {
          g.writeStringField("by", e.by());
          g.writeStringField("comment", e.comment());
        }
        case RunEvent.RunFinished e -> g.writeStringField("status", e.status().word());
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new Encoded(type(event), VERSION, event.at(), out.toString());
  }

  private static void step(JsonGenerator g, int stage, int step) throws IOException {
    g.writeNumberField("stage", stage);
    g.writeNumberField("step", step);
  }

  /**
   * Reads a stored event back.
   *
   * @throws JournalException when the type or version is unknown (a journal written by a newer
   *     Upshift) or the body is damaged
   */
  public static RunEvent decode(String type, int version, String body) {
    if (version < 1 || version > VERSION) {
      throw new JournalException(
          "event of type `"
              + type
              + "` has format version "
              + version
              + "; this Upshift reads versions 1 to "
              + VERSION
              + " (was the journal written by a newer Upshift?)");
    }
    Body b = Body.parse(type, body);
    return switch (type) {
      case "run-started" ->
          new RunEvent.RunStarted(
              b.at(),
              b.text("plan"),
              b.text("target"),
              b.number("seed"),
              b.integer("hosts"),
              b.bool("auto_approve", true));
      case "stage-started" -> new RunEvent.StageStarted(b.at(), b.integer("stage"));
      case "step-started" ->
          new RunEvent.StepStarted(
              b.at(),
              b.integer("stage"),
              b.integer("step"),
              b.integer("hosts"),
              b.integer("skipped"));
      case "batch-started" ->
          new RunEvent.BatchStarted(
              b.at(),
              b.integer("stage"),
              b.integer("step"),
              b.integer("group"),
              b.integer("batch"),
              b.hosts());
      case "pause-started" ->
          new RunEvent.PauseStarted(
              b.at(), b.integer("stage"), b.integer("step"), b.integer("group"), b.number("until"));
      case "action-started" ->
          new RunEvent.ActionStarted(
              b.at(), b.integer("stage"), b.integer("step"), b.integer("host"), b.phase());
      case "action-finished" ->
          new RunEvent.ActionFinished(
              b.at(),
              b.integer("stage"),
              b.integer("step"),
              b.integer("host"),
              b.phase(),
              new Outcome(
                  b.bool("ok", false),
                  b.integer("exit"),
                  b.text("output", ""),
                  b.text("reason", "")));
      case "action-in-doubt" ->
          new RunEvent.ActionInDoubt(
              b.at(),
              b.integer("stage"),
              b.integer("step"),
              b.integer("host"),
              b.phase(),
              InDoubt.of(b.text("resolution")));
      case "approved" ->
          new RunEvent.Approved(
              b.at(), b.integer("stage"), b.integer("step"), b.text("by"), b.text("comment", ""));
      case "step-finished" ->
          new RunEvent.StepFinished(
              b.at(),
              b.integer("stage"),
              b.integer("step"),
              b.integer("succeeded"),
              b.integer("failed"),
              b.integer("skipped"));
      case "stage-finished" -> new RunEvent.StageFinished(b.at(), b.integer("stage"), b.status());
      case "capability-changed" ->
          new RunEvent.CapabilityChanged(b.at(), b.text("capability"), b.bool("up", false));
      case "run-halted" -> new RunEvent.RunHalted(b.at(), b.text("reason"));
      case "run-paused" ->
          new RunEvent.RunPaused(b.at(), b.integer("stage"), b.integer("step"), b.text("reason"));
      case "run-resumed" -> new RunEvent.RunResumed(b.at(), b.text("by"), b.text("reason", ""));
      case "abort-requested" ->
          new RunEvent.AbortRequested(b.at(), b.text("by"), b.text("comment", ""));
      case "run-finished" -> new RunEvent.RunFinished(b.at(), b.status());
      default ->
          throw new JournalException(
              "unknown event type `" + type + "` (was the journal written by a newer Upshift?)");
    };
  }

  /** The fields of one body, read in one pass. */
  private record Body(String type, Map<String, Object> fields) {
    static Body parse(String type, String json) {
      Map<String, Object> fields = new HashMap<>();
      try (JsonParser p = JSON.createParser(json)) {
        if (p.nextToken() != JsonToken.START_OBJECT) {
          throw new JournalException("event of type `" + type + "` has a damaged body");
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String name = p.currentName();
          JsonToken t = p.nextToken();
          Object value =
              switch (t) {
                case VALUE_NUMBER_INT -> p.getLongValue();
                case VALUE_STRING -> p.getText();
                case VALUE_TRUE -> Boolean.TRUE;
                case VALUE_FALSE -> Boolean.FALSE;
                case START_ARRAY -> {
                  int[] values = new int[8];
                  int n = 0;
                  while (p.nextToken() == JsonToken.VALUE_NUMBER_INT) {
                    if (n == values.length) {
                      values = java.util.Arrays.copyOf(values, n * 2);
                    }
                    values[n++] = p.getIntValue();
                  }
                  yield java.util.Arrays.copyOf(values, n);
                }
                default -> {
                  p.skipChildren();
                  yield null;
                }
              };
          fields.put(name, value);
        }
      } catch (IOException e) {
        throw new JournalException(
            "event of type `" + type + "` has a damaged body: " + e.getMessage());
      }
      return new Body(type, fields);
    }

    private Object field(String name) {
      Object v = fields.get(name);
      if (v == null) {
        throw new JournalException("event of type `" + type + "` lacks its field `" + name + "`");
      }
      return v;
    }

    long at() {
      return number("at");
    }

    long number(String name) {
      if (field(name) instanceof Long l) {
        return l;
      }
      throw new JournalException("event of type `" + type + "`: `" + name + "` is not a number");
    }

    int integer(String name) {
      return Math.toIntExact(number(name));
    }

    String text(String name) {
      if (field(name) instanceof String s) {
        return s;
      }
      throw new JournalException("event of type `" + type + "`: `" + name + "` is not text");
    }

    String text(String name, String absent) {
      return fields.containsKey(name) ? text(name) : absent;
    }

    boolean bool(String name, boolean absent) {
      Object v = fields.get(name);
      return v instanceof Boolean b ? b : absent;
    }

    int[] hosts() {
      if (field("hosts") instanceof int[] a) {
        return a;
      }
      throw new JournalException("event of type `" + type + "`: `hosts` is not a list");
    }

    Phase phase() {
      return switch (text("phase")) {
        case "action" -> Phase.ACTION;
        case "check" -> Phase.CHECK;
        default -> throw new JournalException("event of type `" + type + "`: unknown phase");
      };
    }

    RunStatus status() {
      try {
        return RunStatus.valueOf(text("status").toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new JournalException("event of type `" + type + "`: unknown status");
      }
    }
  }
}
