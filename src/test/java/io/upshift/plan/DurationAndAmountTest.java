package io.upshift.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DurationAndAmountTest {
  @ParameterizedTest
  @CsvSource({
    "90s, 90000",
    "5m, 300000",
    "1h30m, 5400000",
    "250ms, 250",
    "1.5h, 5400000",
    "0, 0",
    "2d, 172800000"
  })
  void parsesDurations(String text, long millis) {
    assertThat(DurationModel.parse(text)).isEqualTo(DurationModel.fixed(millis));
  }

  @ParameterizedTest
  @CsvSource({
    "250, 250ms",
    "0, 0s",
    "59000, 59s",
    "60000, 1m",
    "65000, 1m05s",
    "725000, 12m05s",
    "3900000, 1h05m",
    "36000000, 10h00m",
    "90061000, 25h01m"
  })
  void formatsDurationsCompactly(long millis, String text) {
    assertThat(DurationModel.format(millis)).isEqualTo(text);
  }

  @ParameterizedTest
  @CsvSource({"5", "5 m", "m5", "1h 30m", "-5m", "''", "2m..", "..2m", "8m..2m", "999999999h"})
  void rejectsWhatIsNotADuration(String text) {
    assertThat(DurationModel.parse(text)).isNull();
  }

  @Test
  void rangesDrawWithinTheirBoundsAndAverageInTheMiddle() {
    DurationModel m = DurationModel.parse("2m..8m");
    SplittableRandom r = new SplittableRandom(1);
    long sum = 0;
    for (int i = 0; i < 10_000; i++) {
      long d = m.sample(r);
      assertThat(d).isBetween(120_000L, 480_000L);
      sum += d;
    }
    assertThat(sum / 10_000.0).isBetween(290_000.0, 310_000.0);
    assertThat(m.expectedMillis()).isEqualTo(300_000);
    assertThat(m.p95Millis()).isEqualTo(462_000);
  }

  @ParameterizedTest(name = "{0} of {1}: batch {2}, budget {3}")
  @CsvSource({
    // amount, total, batch (rounds up, at least 1), budget (rounds down)
    "10%, 1000, 100, 100",
    "10%, 5, 1, 0",
    "2%, 1000, 20, 20",
    "2%, 1049, 21, 20",
    "100, 1000, 100, 100",
    "100%, 7, 7, 7",
    "0, 10, 1, 0",
  })
  void amountsAreCountsOrShares(String text, int total, int batch, int budget) {
    Amount a = Amount.parse(text);
    assertThat(a.batchOf(total)).isEqualTo(batch);
    assertThat(a.budgetOf(total)).isEqualTo(budget);
  }

  @ParameterizedTest
  @CsvSource({"-1", "101%", "1.5", "lots", "''"})
  void rejectsWhatIsNotAnAmount(String text) {
    assertThat(Amount.parse(text)).isNull();
  }
}
