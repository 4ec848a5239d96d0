package io.upshift.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;

/**
 * Coverage-guided fuzzing of the loader and the verifier with Jazzer. The fuzzer's bytes choose
 * edits to a valid plan and inventory (lines dropped, doubled, re-indented, swapped; YAML
 * punctuation, odd values and free text inserted), so that inputs reach deep into the loader and
 * the verifier. Any input must give positioned problems or a verdict, never an exception. The
 * normal build replays the saved inputs (regression mode); {@code bench/fuzz} fuzzes for real.
 */
class LoaderFuzzTest {
  @FuzzTest(maxDuration = "30s")
  void loadAndVerify(FuzzedDataProvider data) throws IOException {
    LoaderFuzzTarget.fuzzerTestOneInput(data);
  }
}
