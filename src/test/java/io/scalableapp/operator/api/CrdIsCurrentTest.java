package io.scalableapp.operator.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The CRD users apply is the committed copy in crds/, but the source of truth is the Java API
 * types: this keeps the two from drifting apart and checks what users see of the generated CRD
 * ({@code kubectl explain}, {@code kubectl get}, {@code kubectl scale}).
 */
class CrdIsCurrentTest {
  static final String FILE = "scalableapps.scalableapp.io-v1.yml";
  static final Path GENERATED = Path.of("target/classes/META-INF/fabric8", FILE);
  static final Path COMMITTED = Path.of("crds", FILE);

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  /** The CRD the build generated from the API types (process-classes runs before tests). */
  static JsonNode generatedCrd() throws IOException {
    assertThat(GENERATED)
        .as("the build generates the CRD in process-classes; run `mvn -B -q process-classes`")
        .isRegularFile();
    return YAML.readTree(Files.readString(GENERATED));
  }

  /** The only served version's block (spec.versions[0]), where schema, columns and scale live. */
  static JsonNode version(JsonNode crd) {
    JsonNode versions = crd.path("spec").path("versions");
    assertThat(versions.size()).as("served versions").isEqualTo(1);
    return versions.get(0);
  }

  @Test
  void committedCrdIsTheGeneratedOne() throws IOException {
    generatedCrd();
    // Exact text: Argo CD and code review see the committed file, so any difference matters.
    assertThat(Files.readString(COMMITTED))
        .as(
            "%s is out of date with the API types in src/main/java/io/scalableapp/operator/api."
                + " Regenerate and commit it: mvn -B -q process-classes && cp %s crds/",
            COMMITTED, GENERATED)
        .isEqualTo(Files.readString(GENERATED));
  }

  @Test
  void everyPropertyHasADescription() throws IOException {
    JsonNode schema = version(generatedCrd()).path("schema").path("openAPIV3Schema");
    List<String> undescribed = new ArrayList<>();
    collectUndescribed("", schema, undescribed);
    assertThat(undescribed)
        .as(
            "properties without a description (add @JsonPropertyDescription, or @JsonIgnore on a"
                + " getter that is not a field)")
        .isEmpty();
  }

  private static void collectUndescribed(String path, JsonNode node, List<String> out) {
    node.path("properties")
        .fields()
        .forEachRemaining(
            p -> {
              String child = path.isEmpty() ? p.getKey() : path + "." + p.getKey();
              // Top-level spec and status are described by their children; every property below
              // them is what `kubectl explain` shows users, so it must say what it means.
              boolean exempt = child.equals("spec") || child.equals("status");
              if (!exempt && p.getValue().path("description").asText("").isBlank()) {
                out.add(child);
              }
              collectUndescribed(child, p.getValue(), out);
            });
    if (node.has("items")) {
      collectUndescribed(path + "[]", node.get("items"), out);
    }
    if (node.path("additionalProperties").isObject()) {
      collectUndescribed(path + "{}", node.get("additionalProperties"), out);
    }
  }

  @Test
  void printerColumnsAreInTheDocumentedOrder() throws IOException {
    List<String> names = new ArrayList<>();
    List<String> wide = new ArrayList<>();
    version(generatedCrd())
        .path("additionalPrinterColumns")
        .forEach(
            c -> (c.path("priority").asInt(0) == 0 ? names : wide).add(c.path("name").asText()));
    // kubectl shows columns in CRD order. READY is the Ready condition (as Crossplane, CAPA and
    // Karpenter show it); INSERVICE the instances in service (status.replicas).
    assertThat(names)
        .containsExactly(
            "TYPE", "MIN", "MAX", "DESIRED", "INSERVICE", "READY", "STATUS", "ENDPOINT", "AGE");
    // -o wide adds the instance types and zones at a glance, the launch-template version and the
    // rollout's progress.
    assertThat(wide).containsExactly("TYPES", "ZONES", "VERSION", "ROLLOUT");
  }

  @Test
  void kubectlFindsTheKindByCategoryAndExplainsIt() throws IOException {
    JsonNode crd = generatedCrd();
    assertThat(crd.at("/spec/names/categories"))
        .extracting(JsonNode::asText)
        .containsExactly("all", "aws");
    assertThat(version(generatedCrd()).at("/schema/openAPIV3Schema/description").asText())
        .startsWith("ScalableApp is a highly available EC2 application fleet");
  }

  @Test
  void conditionsAreAListKeyedByTypeWithMetav1sRequiredFields() throws IOException {
    JsonNode conditions =
        version(generatedCrd())
            .at("/schema/openAPIV3Schema/properties/status/properties/conditions");
    assertThat(conditions.path("x-kubernetes-list-type").asText()).isEqualTo("map");
    assertThat(conditions.path("x-kubernetes-list-map-keys"))
        .extracting(JsonNode::asText)
        .containsExactly("type");
    JsonNode item = conditions.path("items");
    assertThat(item.path("required"))
        .extracting(JsonNode::asText)
        .containsExactlyInAnyOrder("type", "status", "reason", "message", "lastTransitionTime");
    assertThat(item.at("/properties/status/enum"))
        .extracting(JsonNode::asText)
        .containsExactly("True", "False", "Unknown");
    assertThat(item.at("/properties/lastTransitionTime/format").asText()).isEqualTo("date-time");
  }

  @Test
  void scaleSubresourceDrivesDesiredCapacity() throws IOException {
    JsonNode scale = version(generatedCrd()).path("subresources").path("scale");
    // `kubectl scale` and HPA-style tools write spec.capacity.desired and read InService instances.
    assertThat(scale.path("specReplicasPath").asText()).isEqualTo(".spec.capacity.desired");
    assertThat(scale.path("statusReplicasPath").asText()).isEqualTo(".status.replicas");
  }
}
