package io.upshift.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.upshift.inventory.Inventory;
import io.upshift.inventory.InventoryLoader;
import io.upshift.source.Problem;
import io.upshift.source.Problems;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Keeps the published JSON Schemas (docs/plan.schema.json, docs/inventory.schema.json) in step with
 * the loaders: the keys the loaders read are the keys the schemas describe, and every key of the
 * example plans and of a sample that uses every feature is one the schemas allow.
 */
class PlanSchemaTest {
  private static final Path PLAN_SCHEMA = Path.of("docs/plan.schema.json");
  private static final Path INVENTORY_SCHEMA = Path.of("docs/inventory.schema.json");
  private static final Path SAMPLE = Path.of("src/test/resources/plans/schema-sample");
  private static final Path EXAMPLES = Path.of("examples");
  private static final ObjectMapper JSON =
      JsonMapper.builder()
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();

  @Test
  void schemasParseAsJson() throws IOException {
    for (Path file : List.of(PLAN_SCHEMA, INVENTORY_SCHEMA)) {
      JsonNode schema = schema(file);
      assertThat(schema.path("$schema").asText())
          .as(file.toString())
          .isEqualTo("https://json-schema.org/draft/2020-12/schema");
      assertThat(schema.path("properties").isObject()).as(file.toString()).isTrue();
    }
  }

  @Test
  void rootKeysMatchTheLoader() throws IOException {
    assertThat(keys(schema(PLAN_SCHEMA).path("properties")))
        .containsExactlyInAnyOrder(PlanLoader.ROOT_KEYS);
  }

  @Test
  void stepKeysMatchTheLoader() throws Exception {
    JsonNode plan = schema(PLAN_SCHEMA);
    Set<String> expected = new LinkedHashSet<>(StepKind.keys());
    expected.addAll(staticField(StepReader.class, "STEP_KEYS"));
    assertThat(keys(plan.at("/$defs/step/properties")))
        .containsExactlyInAnyOrderElementsOf(expected);
    Set<String> required = new LinkedHashSet<>();
    plan.at("/$defs/step/oneOf")
        .forEach(b -> b.path("required").forEach(k -> required.add(k.asText())));
    assertThat(required).containsExactlyInAnyOrderElementsOf(StepKind.keys());
    assertThat(values(plan.at("/$defs/fault/properties/kind/enum")))
        .containsExactlyInAnyOrderElementsOf(StepKind.keys());
  }

  @Test
  void inventoryKeysAndValuesMatchTheLoader() throws Exception {
    JsonNode inventory = schema(INVENTORY_SCHEMA);
    String[] settingKeys = staticField(InventoryLoader.class, "SETTING_KEYS");
    List<String> settings = List.of(settingKeys);
    assertThat(keys(inventory.at("/$defs/settings/properties")))
        .containsExactlyInAnyOrderElementsOf(settings);
    Set<String> hostKeys = new LinkedHashSet<>(settings);
    hostKeys.addAll(List.of("name", "roles", "components", "databases", "states", "address"));
    assertThat(keys(inventory.at("/$defs/host/properties")))
        .containsExactlyInAnyOrderElementsOf(hostKeys);
    assertThat(values(inventory.at("/$defs/os/enum")))
        .containsExactlyInAnyOrderElementsOf(staticField(InventoryLoader.class, "OS"));
    assertThat(values(inventory.at("/$defs/serviceManager/enum")))
        .containsExactlyInAnyOrderElementsOf(
            staticField(InventoryLoader.class, "SERVICE_MANAGERS"));
    assertThat(values(inventory.at("/$defs/packageManager/enum")))
        .containsExactlyInAnyOrderElementsOf(
            staticField(InventoryLoader.class, "PACKAGE_MANAGERS"));
    assertThat(values(inventory.at("/$defs/state/enum")))
        .containsExactlyInAnyOrderElementsOf(staticField(InventoryLoader.class, "STATES"));
    assertThat(values(inventory.at("/$defs/labels/propertyNames/not/enum")))
        .containsExactlyInAnyOrderElementsOf(Inventory.BUILT_IN_KEYS);
  }

  @Test
  void walkerFindsUnknownKeys() throws IOException {
    String yaml =
        """
        stages:
          - name: Glance
            steps:
              - stop: glance-api
                colour: red
                waves: {batch: 2, batchsize: 3}
              - check: {http: "http://{{host}}/", expected: 200}
        rehearsal: {faults: [{kind: stop, chance: 1}]}
        """;
    assertThat(unknownKeys(compose(new StringReader(yaml)), schema(PLAN_SCHEMA)))
        .containsExactly(
            "stages[0].steps[0].colour",
            "stages[0].steps[0].waves.batchsize",
            "stages[0].steps[1].check.expected",
            "rehearsal.faults[0].chance");
  }

  @Test
  void sampleLoadsWithoutErrors() {
    Problems problems = new Problems();
    Plan plan = PlanLoader.load(SAMPLE, problems);
    assertThat(problems.hasErrors())
        .as(
            "problems in the sample:%n%s",
            problems.sorted().stream().map(Problem::render).collect(Collectors.joining("\n")))
        .isFalse();
    assertThat(plan.steps()).extracting(s -> s.kind().key()).containsAll(StepKind.keys());
  }

  @Test
  void sampleKeysAreKnownToTheSchemas() throws IOException {
    assertKnownKeys(SAMPLE.resolve("plan.yaml"));
  }

  @Test
  void exampleKeysAreKnownToTheSchemas() throws IOException {
    assumeTrue(Files.isDirectory(EXAMPLES), "no examples folder");
    List<Path> plans;
    try (Stream<Path> files = Files.walk(EXAMPLES)) {
      plans = files.filter(p -> p.getFileName().toString().equals("plan.yaml")).sorted().toList();
    }
    for (Path plan : plans) {
      assertKnownKeys(plan);
    }
  }

  /** Checks a plan, and the inventory it names when that file exists, against the schemas. */
  private static void assertKnownKeys(Path planFile) throws IOException {
    Node plan = compose(planFile);
    assertThat(unknownKeys(plan, schema(PLAN_SCHEMA)))
        .as("keys of %s that docs/plan.schema.json does not allow", planFile)
        .isEmpty();
    if (plan instanceof MappingNode map) {
      for (NodeTuple t : map.getValue()) {
        Path inventory =
            t.getKeyNode() instanceof ScalarNode k
                    && k.getValue().equals("inventory")
                    && t.getValueNode() instanceof ScalarNode v
                ? planFile.resolveSibling(v.getValue())
                : null;
        if (inventory != null && Files.isRegularFile(inventory)) {
          assertThat(unknownKeys(compose(inventory), schema(INVENTORY_SCHEMA)))
              .as("keys of %s that docs/inventory.schema.json does not allow", inventory)
              .isEmpty();
        }
      }
    }
  }

  /** The key paths in {@code yaml} that no branch of {@code schema} allows. */
  static List<String> unknownKeys(Node yaml, JsonNode schema) {
    List<String> out = new ArrayList<>();
    walk(yaml, List.of(schema), schema, "", out);
    return out;
  }

  /**
   * Walks a YAML node alongside the schemas that may describe it (the union of all branches): a
   * mapping key is allowed when some schema lists it in {@code properties} or has a schema for
   * {@code additionalProperties}; the walk goes on into the schemas of the allowed key.
   */
  private static void walk(
      Node yaml, List<JsonNode> schemas, JsonNode root, String path, List<String> out) {
    List<JsonNode> flat = new ArrayList<>();
    schemas.forEach(s -> flatten(s, root, flat));
    if (flat.stream().anyMatch(s -> s.isBoolean() && s.asBoolean())) {
      return;
    }
    if (yaml instanceof MappingNode map) {
      for (NodeTuple t : map.getValue()) {
        String key =
            t.getKeyNode() instanceof ScalarNode s ? s.getValue() : t.getKeyNode().toString();
        String at = path.isEmpty() ? key : path + "." + key;
        List<JsonNode> next = new ArrayList<>();
        for (JsonNode s : flat) {
          JsonNode sub =
              s.path("properties").has(key)
                  ? s.path("properties").get(key)
                  : s.get("additionalProperties");
          if (sub != null && !(sub.isBoolean() && !sub.asBoolean())) {
            next.add(sub);
          }
        }
        if (next.isEmpty()) {
          out.add(at);
        } else {
          walk(t.getValueNode(), next, root, at, out);
        }
      }
    } else if (yaml instanceof SequenceNode seq) {
      List<JsonNode> items =
          flat.stream().filter(s -> s.has("items")).map(s -> s.get("items")).toList();
      for (int i = 0; i < seq.getValue().size(); i++) {
        walk(seq.getValue().get(i), items, root, path + "[" + i + "]", out);
      }
    }
  }

  /** The schema itself, what its {@code $ref} points to, and its oneOf/anyOf/allOf branches. */
  private static void flatten(JsonNode schema, JsonNode root, List<JsonNode> out) {
    out.add(schema);
    if (schema.has("$ref")) {
      String ref = schema.get("$ref").asText();
      assertThat(ref).as("only local references are followed").startsWith("#");
      JsonNode target = root.at(ref.substring(1));
      assertThat(target.isMissingNode()).as("$ref %s resolves", ref).isFalse();
      flatten(target, root, out);
    }
    for (String keyword : List.of("oneOf", "anyOf", "allOf")) {
      schema.path(keyword).forEach(branch -> flatten(branch, root, out));
    }
  }

  private static JsonNode schema(Path file) throws IOException {
    return JSON.readTree(Files.readString(file));
  }

  /** The YAML node tree, with keys as written (so `on` stays text, as the loader reads it). */
  private static Node compose(Path file) throws IOException {
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      return compose(reader);
    }
  }

  private static Node compose(Reader reader) {
    return new Yaml().compose(reader);
  }

  private static List<String> keys(JsonNode object) {
    List<String> out = new ArrayList<>();
    object.fieldNames().forEachRemaining(out::add);
    return out;
  }

  private static List<String> values(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(v -> out.add(v.asText()));
    return out;
  }

  @SuppressWarnings("unchecked")
  private static <T> T staticField(Class<?> type, String name) throws ReflectiveOperationException {
    Field field = type.getDeclaredField(name);
    field.setAccessible(true);
    return (T) field.get(null);
  }
}
