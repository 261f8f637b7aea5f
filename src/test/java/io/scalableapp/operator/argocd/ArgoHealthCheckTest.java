package io.scalableapp.operator.argocd;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.scalableapp.operator.api.ScalableApp;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LoadState;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.compiler.LuaC;
import org.luaj.vm2.lib.PackageLib;
import org.luaj.vm2.lib.TableLib;
import org.luaj.vm2.lib.jse.JseBaseLib;
import org.luaj.vm2.lib.jse.JsePlatform;

/**
 * The Argo CD health check of ScalableApp, run on luaj the way Argo CD runs it on gopher-lua: the
 * resource as a Lua table in the global {@code obj}, the returned table's status and message
 * compared with health_test.yaml (Argo CD's own test format, so the folder could go upstream as it
 * is).
 */
class ArgoHealthCheckTest {
  private static final Path ARGOCD = Path.of("argocd");
  private static final Path CHECK =
      ARGOCD.resolve("resource_customizations/scalableapp.io/ScalableApp");
  private static final String CONFIG_MAP_KEY =
      "resource.customizations.health.scalableapp.io_ScalableApp";
  private static final YAMLMapper YAML = new YAMLMapper();

  record Health(String status, String message) {}

  record Case(String inputPath, Health expected) {}

  @TestFactory
  Stream<DynamicTest> everyCaseOfHealthTestYaml() {
    String script = read(CHECK.resolve("health.lua"));
    return cases().stream()
        .map(
            c ->
                DynamicTest.dynamicTest(
                    c.inputPath(),
                    () -> {
                      JsonNode resource = YAML.readTree(CHECK.resolve(c.inputPath()).toFile());
                      assertHealth(script, resource, c.expected());
                    }));
  }

  /** Resources no test data shows: the check must still answer, never fail with a Lua error. */
  static Stream<Arguments> oddResources() {
    return Stream.of(
        Arguments.of(
            "no metadata",
            "{apiVersion: scalableapp.io/v1alpha1, kind: ScalableApp}",
            new Health("Progressing", "Waiting for the operator to observe the ScalableApp")),
        Arguments.of(
            "status of the wrong type",
            "{metadata: {generation: 1}, status: broken}",
            new Health("Progressing", "Waiting for the operator to observe generation 1")),
        Arguments.of(
            "conditions of the wrong type",
            "{metadata: {generation: 2},"
                + " status: {observedGeneration: 2, phase: Pending, conditions: broken}}",
            new Health("Progressing", "Waiting for the operator's conditions (phase Pending)")),
        Arguments.of(
            "a condition behind status.observedGeneration",
            "{metadata: {generation: 2}, status: {observedGeneration: 2, conditions: ["
                + "{type: Ready, status: 'True', message: m, observedGeneration: 1}]}}",
            new Health("Progressing", "Waiting for the operator to observe generation 2")),
        Arguments.of(
            "observedGeneration as a string",
            "{metadata: {generation: 3}, status: {observedGeneration: '3', conditions: ["
                + "{type: Ready, status: 'True', reason: Ready, message: all good}]}}",
            new Health("Healthy", "all good")),
        Arguments.of(
            "Ready without a message",
            "{metadata: {generation: 1}, status: {observedGeneration: 1, conditions: ["
                + "{type: Ready, status: 'True'}]}}",
            new Health("Healthy", "Ready")),
        Arguments.of(
            "Degraded without a message",
            "{metadata: {generation: 1}, status: {observedGeneration: 1, conditions: ["
                + "{type: Degraded, status: 'True', reason: AccessDenied}]}}",
            new Health("Degraded", "AccessDenied")),
        Arguments.of(
            "a rollout without numbers",
            "{metadata: {generation: 1}, status: {observedGeneration: 1,"
                + " rollout: {status: Pending},"
                + " conditions: [{type: Ready, status: 'True', reason: Ready, message: m}]}}",
            new Health("Progressing", "Rollout: Pending")),
        Arguments.of(
            "a finished rollout while Ready",
            "{metadata: {generation: 1}, status: {observedGeneration: 1,"
                + " rollout: {status: Successful, percentComplete: 100, targetVersion: 2},"
                + " conditions: [{type: Ready, status: 'True', reason: Ready, message: m}]}}",
            new Health("Healthy", "m")),
        Arguments.of(
            "paused without conditions",
            "{metadata: {generation: 1}, spec: {paused: true}, status: {observedGeneration: 1}}",
            new Health("Suspended", "Paused: the operator changes nothing in AWS")),
        Arguments.of(
            "paused with a stale status",
            "{metadata: {generation: 2}, spec: {paused: true}, status: {observedGeneration: 1}}",
            new Health("Progressing", "Waiting for the operator to observe generation 2")),
        Arguments.of(
            "deleting without finalizers",
            "{metadata: {generation: 2, deletionTimestamp: '2025-03-14T17:30:02Z'}}",
            new Health("Progressing", "Pending deletion")),
        Arguments.of(
            "deleting with someone else's finalizer too",
            "{metadata: {generation: 2, deletionTimestamp: '2025-03-14T17:30:02Z', finalizers:"
                + " [scalableapps.scalableapp.io/finalizer, example.com/backup]}}",
            new Health(
                "Progressing",
                "Pending deletion; the operator deletes the app's AWS resources, then removes"
                    + " finalizer scalableapps.scalableapp.io/finalizer; waiting for finalizer(s)"
                    + " example.com/backup")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("oddResources")
  void oddResourcesStillGetAHealth(String name, String yaml, Health expected) throws IOException {
    assertHealth(read(CHECK.resolve("health.lua")), YAML.readTree(yaml), expected);
  }

  @Test
  void argocdCmEmbedsHealthLuaUnchanged() throws IOException {
    JsonNode configMap = YAML.readTree(ARGOCD.resolve("argocd-cm.yaml").toFile());
    assertThat(configMap.path("kind").asText()).isEqualTo("ConfigMap");
    assertThat(configMap.path("metadata").path("name").asText()).isEqualTo("argocd-cm");
    JsonNode embedded = configMap.path("data").path(CONFIG_MAP_KEY);
    assertThat(embedded.isTextual()).as("data.%s in argocd-cm.yaml", CONFIG_MAP_KEY).isTrue();
    // Parsing the YAML takes off the block's indentation; trailing blanks change no Lua.
    assertThat(withoutTrailingBlanks(embedded.asText()))
        .as("argocd-cm.yaml's script must be health.lua, indented under the key (sed 's/^/    /')")
        .isEqualTo(withoutTrailingBlanks(read(CHECK.resolve("health.lua"))));
  }

  @Test
  void everyTestdataFileIsACase() throws IOException {
    // A manifest no case names tests nothing, and would look as if it did.
    List<String> files;
    try (Stream<Path> listing = Files.list(CHECK.resolve("testdata"))) {
      files = listing.map(p -> "testdata/" + p.getFileName()).toList();
    }
    assertThat(cases().stream().map(Case::inputPath)).containsExactlyInAnyOrderElementsOf(files);
  }

  @TestFactory
  Stream<DynamicTest> testdataHasOnlyFieldsTheOperatorKnows() {
    // The operator's types ignore unknown fields, so a misspelt status field would read as missing
    // and the check would be tested against a status the operator never writes. Reading each
    // manifest into ScalableApp and writing it back must lose nothing.
    return cases().stream()
        .map(
            c ->
                DynamicTest.dynamicTest(
                    c.inputPath(),
                    () -> {
                      String text = read(CHECK.resolve(c.inputPath()));
                      ScalableApp app = Serialization.unmarshal(text, ScalableApp.class);
                      JsonNode back = YAML.readTree(Serialization.asJson(app));
                      assertThat(plain(back)).isEqualTo(plain(YAML.readTree(text)));
                    }));
  }

  private static void assertHealth(String script, JsonNode resource, Health expected) {
    assertThat(run(script, resource, JsePlatform.standardGlobals()))
        .as("with Lua's standard libraries")
        .isEqualTo(expected);
    assertThat(runWithArgoCdLibraries(script, resource))
        .as("with only the libraries Argo CD opens for a check from argocd-cm")
        .isEqualTo(expected);
  }

  private static Health run(String script, JsonNode resource, Globals globals) {
    globals.set("obj", toLua(resource));
    LuaValue hs = globals.load(script, "health.lua").call();
    assertThat(hs.istable()).as("health.lua returns a table").isTrue();
    return new Health(stringOrNull(hs.get("status")), stringOrNull(hs.get("message")));
  }

  /**
   * Argo CD runs a check from argocd-cm (useOpenLibs unset) with package, base, table and a safe os
   * only: a script calling string or math functions works in its upstream tests, which open every
   * library, and fails in a real Argo CD.
   */
  private static Health runWithArgoCdLibraries(String script, JsonNode resource) {
    Globals globals = new Globals();
    globals.load(new JseBaseLib());
    globals.load(new PackageLib());
    globals.load(new TableLib());
    LoadState.install(globals);
    LuaC.install(globals);
    // luaj keeps string methods (s:find()) in one metatable for the whole JVM, set by any earlier
    // standardGlobals(); Argo CD's strings have none without the string library.
    LuaValue stringMethods = LuaString.s_metatable;
    LuaString.s_metatable = null;
    try {
      return run(script, resource, globals);
    } finally {
      LuaString.s_metatable = stringMethods;
    }
  }

  /**
   * The resource as Argo CD hands it to Lua: objects as tables, lists as tables indexed from 1,
   * nulls left out (a nil cannot be stored in a Lua table).
   */
  static LuaValue toLua(JsonNode node) {
    if (node.isObject()) {
      LuaTable table = new LuaTable();
      for (Map.Entry<String, JsonNode> field : node.properties()) {
        if (!field.getValue().isNull()) {
          table.set(field.getKey(), toLua(field.getValue()));
        }
      }
      return table;
    }
    if (node.isArray()) {
      LuaTable table = new LuaTable();
      int index = 1;
      for (JsonNode item : node) {
        if (!item.isNull()) {
          table.set(index++, toLua(item));
        }
      }
      return table;
    }
    if (node.isIntegralNumber() && node.canConvertToInt()) {
      return LuaValue.valueOf(node.intValue());
    }
    if (node.isNumber()) {
      // Lua 5.1 numbers are doubles, as gopher-lua's are.
      return LuaValue.valueOf(node.doubleValue());
    }
    if (node.isBoolean()) {
      return LuaValue.valueOf(node.booleanValue());
    }
    return LuaValue.valueOf(node.asText());
  }

  private static List<Case> cases() {
    JsonNode tests;
    try {
      tests = YAML.readTree(CHECK.resolve("health_test.yaml").toFile()).path("tests");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    var cases = new ArrayList<Case>();
    for (JsonNode test : tests) {
      JsonNode health = test.path("healthStatus");
      cases.add(
          new Case(
              test.path("inputPath").asText(),
              new Health(
                  health.path("status").asText(),
                  health.hasNonNull("message") ? health.get("message").asText() : null)));
    }
    assertThat(cases).as("tests in health_test.yaml").isNotEmpty();
    return cases;
  }

  private static String stringOrNull(LuaValue value) {
    return value.isnil() ? null : value.tojstring();
  }

  private static String withoutTrailingBlanks(String text) {
    return text.lines().map(String::stripTrailing).collect(Collectors.joining("\n")).strip();
  }

  /** Maps, lists, strings and numbers by value, so that 60 and 60.0 compare equal. */
  private static Object plain(JsonNode node) {
    if (node.isObject()) {
      var map = new TreeMap<String, Object>();
      node.properties().forEach(e -> map.put(e.getKey(), plain(e.getValue())));
      return map;
    }
    if (node.isArray()) {
      var list = new ArrayList<Object>();
      node.forEach(item -> list.add(plain(item)));
      return list;
    }
    if (node.isNumber()) {
      return node.decimalValue().stripTrailingZeros();
    }
    return node.isNull() ? null : node.asText();
  }

  private static String read(Path path) {
    try {
      return Files.readString(path);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
