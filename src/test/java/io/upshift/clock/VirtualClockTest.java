package io.upshift.clock;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class VirtualClockTest {
  private final VirtualClock clock = new VirtualClock();
  private final List<String> ran = new ArrayList<>();

  @Test
  void tasksRunInTimeOrderThenInTheOrderTheyWereQueued() {
    clock.at(20, () -> ran.add("b@20"));
    clock.at(10, () -> ran.add("a@10"));
    clock.at(20, () -> ran.add("c@20"));
    clock.at(10, () -> ran.add("d@10"));

    assertThat(clock.runNext(false)).isTrue();
    assertThat(clock.now()).isEqualTo(10);
    assertThat(ran).containsExactly("a@10", "d@10");

    assertThat(clock.runNext(false)).isTrue();
    assertThat(clock.now()).isEqualTo(20);
    assertThat(ran).containsExactly("a@10", "d@10", "b@20", "c@20");
    assertThat(clock.runNext(false)).isFalse();
  }

  @Test
  void aTaskQueuedForNowWhileTheMomentRunsRunsInTheSameMoment() {
    clock.at(
        5,
        () -> {
          ran.add("first");
          clock.post(() -> ran.add("posted"));
          clock.at(7, () -> ran.add("later"));
        });
    clock.at(5, () -> ran.add("second"));

    clock.runNext(false);
    assertThat(ran).containsExactly("first", "second", "posted");
    clock.runNext(false);
    assertThat(clock.now()).isEqualTo(7);
    assertThat(ran).endsWith("later");
  }

  @Test
  void aTaskDueInThePastRunsNowAndTimeNeverGoesBack() {
    clock.at(10, () -> clock.at(3, () -> ran.add("late")));
    clock.at(12, () -> ran.add("after"));

    clock.runNext(false);
    assertThat(clock.now()).isEqualTo(10);
    assertThat(ran).containsExactly("late");
    clock.runNext(false);
    assertThat(clock.now()).isEqualTo(12);
  }
}
