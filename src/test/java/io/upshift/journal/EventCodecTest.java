package io.upshift.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.upshift.engine.RunEvent;
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
            "{\"at\":6,\"stage\":0,\"step\":1,\"host\":4,\"phase\":\"action\",\"ok\":false,"
                + "\"exit\":2,\"output\":\"x\",\"reason\":\"exit 2\"}");
    assertThat(e).isInstanceOf(RunEvent.ActionFinished.class);
    assertThat(((RunEvent.ActionFinished) e).outcome().reason()).isEqualTo("exit 2");
    assertThat(EventCodec.encode(e).body())
        .isEqualTo(
            "{\"at\":6,\"stage\":0,\"step\":1,\"host\":4,\"phase\":\"action\",\"ok\":false,"
                + "\"exit\":2,\"output\":\"x\",\"reason\":\"exit 2\"}");
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
