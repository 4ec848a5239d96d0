package io.upshift.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.upshift.Cli;
import io.upshift.TestPlans;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A capability that {@code uses} another is down whenever that one is: every API checks its users'
 * tokens with identity, so an identity outage is an image-API outage too, although Glance serves.
 */
class CapabilityUsesTest {
  @TempDir Path dir;

  private static final String INVENTORY =
      "defaults: {version: v1}\nsites:\n  s1:\n    cells:\n      c1:\n        hosts:\n"
          + "          - {name: k1, components: [keystone]}\n"
          + "          - {name: g1, components: [glance]}\n";

  private Path plan(String capabilities) {
    String plan =
        "upshift: 1\nname: uses\ninventory: inventory.yaml\nreleases: [v1, v2]\n"
            + "from: v1\nto: v2\ncapabilities:\n"
            + capabilities
            + "stages:\n"
            + "  - name: Keystone\n"
            + "    steps:\n"
            + "      - stop: keystone\n"
            + "        duration: 10s\n"
            + "      - upgrade: keystone\n"
            + "        duration: 30s\n"
            + "      - start: keystone\n"
            + "        duration: 5s\n"
            + "  - name: Glance\n"
            + "    steps:\n"
            + "      - stop: glance\n"
            + "        duration: 10s\n"
            + "      - start: glance\n"
            + "        duration: 5s\n";
    return TestPlans.write(dir, plan, INVENTORY);
  }

  private JsonNode rehearse(Path plan) throws Exception {
    Path summary = dir.resolve("summary.json");
    Cli.Result r =
        Cli.run("run", plan.toString(), "--progress", "none", "--summary-json", summary.toString());
    assertThat(r.code()).as(r.out() + r.err()).isZero();
    return new ObjectMapper().readTree(summary.toFile());
  }

  private static JsonNode capability(JsonNode summary, String name) {
    for (JsonNode c : summary.path("capabilities")) {
      if (c.path("name").asText().equals(name)) {
        return c;
      }
    }
    throw new AssertionError("no capability " + name + " in " + summary);
  }

  @Test
  void aCapabilityIsDownWhileOneItUsesIsDown() throws Exception {
    JsonNode s =
        rehearse(
            plan(
                "  identity: {needs: [keystone]}\n"
                    + "  images: {needs: [glance], uses: [identity]}\n"
                    + "  images-alone: {needs: [glance]}\n"));
    JsonNode identity = capability(s, "identity");
    JsonNode images = capability(s, "images");
    assertThat(identity.path("windows")).hasSize(1);
    // its own outage (Glance stopped) and identity's
    assertThat(images.path("windows")).hasSize(2);
    assertThat(images.path("windows").get(0)).isEqualTo(identity.path("windows").get(0));
    assertThat(images.path("downtime_s").asDouble())
        .isEqualTo(
            identity.path("downtime_s").asDouble()
                + capability(s, "images-alone").path("downtime_s").asDouble());
  }

  @Test
  void usesThroughAnotherCapabilityCarryOn() throws Exception {
    JsonNode s =
        rehearse(
            plan(
                "  identity: {needs: [keystone]}\n"
                    + "  images: {needs: [glance], uses: [identity]}\n"
                    + "  launch: {needs: [glance], uses: [images]}\n"));
    assertThat(capability(s, "launch").path("windows"))
        .isEqualTo(capability(s, "images").path("windows"));
  }

  @Test
  void anUnknownOrCircularUseIsAnErrorAtItsName() {
    Cli.Result unknown =
        Cli.run(
            "validate",
            plan("  identity: {needs: [keystone]}\n  images: {needs: [glance], uses: [identiy]}\n")
                .toString());
    assertThat(unknown.code()).isEqualTo(1);
    assertThat(unknown.out() + unknown.err())
        .contains("plan.yaml:9:")
        .contains("capability `images` uses unknown capability `identiy`")
        .contains("identity");
    Cli.Result cycle =
        Cli.run(
            "validate",
            plan("  identity: {needs: [keystone], uses: [images]}\n"
                    + "  images: {needs: [glance], uses: [identity]}\n")
                .toString());
    assertThat(cycle.code()).isEqualTo(1);
    assertThat(cycle.out() + cycle.err())
        .contains("capability `images` uses `identity`, which uses `images` in turn");
  }
}
