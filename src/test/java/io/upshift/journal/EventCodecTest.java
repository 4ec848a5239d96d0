package io.upshift.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.upshift.engine.RunEvent;
import java.util.Random;
import org.junit.jupiter.api.Test;

class EventCodecTest {
  @Test
  void everyEventTypeComesBackAsItWent() {
    for (RunEvent e : Events.everyType()) {
      EventCodec.Encoded enc = EventCodec.encode(e);
      RunEvent back = EventCodec.decode(enc.type(), enc.version(), enc.body());
      assertThat(back).usingRecursiveComparison().as(enc.type()).isEqualTo(e);
      assertThat(enc.at()).isEqualTo(e.at());
    }
  }

  /** The stored form is the journal format: these bodies must keep decoding. */
  @Test
  void bodiesWrittenByFormatOneStillDecode() {
    RunEvent e =
        EventCodec.decode(
            "action-finished",
            1,
            "{\"type\":\"action-finished\",\"v\":1,\"at\":6,\"stage\":0,\"step\":1,"
                + "\"host\":4,\"phase\":\"action\",\"ok\":false,"
                + "\"exit\":2,\"output\":\"x\",\"reason\":\"exit 2\"}");
    assertThat(e).isInstanceOf(RunEvent.ActionFinished.class);
    assertThat(((RunEvent.ActionFinished) e).outcome().reason()).isEqualTo("exit 2");
    assertThat(EventCodec.encode(e).line())
        .isEqualTo(
            "{\"type\":\"action-finished\",\"v\":1,\"at\":6,\"stage\":0,\"step\":1,\"host\":4,\"phase\":\"action\",\"ok\":false,"
                + "\"exit\":2,\"output\":\"x\",\"reason\":\"exit 2\"}");
  }

  /** Any text survives the trip: quotes, backslashes, control characters, any Unicode. */
  @Test
  void anyTextComesBack() {
    Random random = new Random(42);
    for (int i = 0; i < 2_000; i++) {
      StringBuilder b = new StringBuilder();
      int n = random.nextInt(40);
      for (int j = 0; j < n; j++) {
        int kind = random.nextInt(4);
        b.appendCodePoint(
            switch (kind) {
              case 0 -> random.nextInt(0x20); // control characters
              case 1 -> "\"\\/{}[]:,".charAt(random.nextInt(9));
              case 2 -> 0x20 + random.nextInt(0x60);
              default -> random.nextInt(0x10FFFF - 0xE000) + 0xE000; // beyond the BMP too
            });
      }
      String text = b.toString();
      RunEvent e = new RunEvent.RunHalted(i, text);
      EventCodec.Encoded enc = EventCodec.encode(e);
      assertThat(enc.line()).doesNotContain("\n");
      assertThat(((RunEvent.RunHalted) EventCodec.decode(enc.type(), 1, enc.line())).reason())
          .isEqualTo(text);
    }
  }

  @Test
  void linesCarryTheirTypeAndVersionFirst() {
    for (RunEvent e : Events.everyType()) {
      EventCodec.Encoded enc = EventCodec.encode(e);
      Journal.Stored s = EventCodec.stored(7, enc.line());
      assertThat(s.type()).isEqualTo(enc.type());
      assertThat(s.version()).isEqualTo(1);
      assertThat(enc.line()).doesNotContain("\n");
    }
    assertThatThrownBy(() -> EventCodec.stored(9, "{\"at\":1}"))
        .isInstanceOf(JournalException.class)
        .hasMessageContaining("event 9 is damaged");
  }

  @Test
  void unknownTypesVersionsAndDamageAreClearErrors() {
    assertThatThrownBy(() -> EventCodec.decode("teleported", 1, "{\"at\":1}"))
        .isInstanceOf(JournalException.class)
        .hasMessageContaining("unknown event type `teleported`");
    assertThatThrownBy(() -> EventCodec.decode("run-halted", 2, "{\"at\":1}"))
        .isInstanceOf(JournalException.class)
        .hasMessageContaining("newer Upshift");
    assertThatThrownBy(() -> EventCodec.decode("run-halted", 1, "{\"at\":1,"))
        .isInstanceOf(JournalException.class)
        .hasMessageContaining("damaged");
    assertThatThrownBy(() -> EventCodec.decode("run-halted", 1, "{\"at\":1}"))
        .isInstanceOf(JournalException.class)
        .hasMessageContaining("lacks its field `reason`");
  }
}
