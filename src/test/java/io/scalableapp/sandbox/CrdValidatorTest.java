package io.scalableapp.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The embedded API's admission words its refusals as the API server does (apimachinery's field
 * errors, kube-openapi's schema messages, the CRD's CEL messages), so what kubectl prints against
 * the sandbox is what it prints against a cluster. Which manifests the CRD accepts is
 * CrdValidationTest's table; this is about the words, pruning and the rules' order.
 */
class CrdValidatorTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final CrdValidator CRD = CrdValidator.of(EmbeddedCluster.CRD);

  static JsonNode app(String spec) throws IOException {
    return YAML.readTree(
        """
        apiVersion: scalableapp.io/v1alpha1
        kind: ScalableApp
        metadata: {name: web, namespace: shop}
        spec:
        """
            + spec.indent(2));
  }

  static final String GOOD =
      """
      instanceType: t3.micro
      imageId: ami-0123abcd
      subnetIds: [subnet-0123abcd]
      capacity: {min: 1, max: 3}
      """;

  List<String> errors(String spec) throws IOException {
    return CRD.validate(app(spec)).stream().map(Object::toString).toList();
  }

  @Test
  void aGoodAppHasNoErrors() throws IOException {
    assertThat(errors(GOOD)).isEmpty();
  }

  @Test
  void aCelRuleIsInvalidValueOfItsTypeWithTheRulesMessage() throws IOException {
    assertThat(errors(GOOD.replace("{min: 1, max: 3}", "{min: 5, max: 2}")))
        .containsExactly(
            "spec.capacity: Invalid value: \"object\": capacity.min must be <= capacity.max");
  }

  @Test
  void schemaErrorsAreWordedAsKubeOpenApiWordsThem() throws IOException {
    assertThat(errors(GOOD.replace("{min: 1, max: 3}", "{min: -1, max: 3}")))
        .containsExactly(
            "spec.capacity.min: Invalid value: -1: spec.capacity.min in body should be greater"
                + " than or equal to 0");
    assertThat(errors(GOOD.replace("ami-0123abcd", "ami-12345")))
        .singleElement()
        .asString()
        .startsWith(
            "spec.imageId: Invalid value: \"ami-12345\": spec.imageId in body should match"
                + " '^(ami-");
    assertThat(errors(GOOD.replace("[subnet-0123abcd]", "[]")))
        .containsExactly(
            "spec.subnetIds: Invalid value: 0: spec.subnetIds in body should have at least 1"
                + " items");
  }

  @Test
  void typeRequiredEnumAndTooManyErrorsStopTheCelRulesAsTheApiServerDoes() throws IOException {
    String notice =
        "<nil>: Invalid value: \"null\": some validation rules were not checked because the object"
            + " was invalid; correct the existing errors to complete validation";
    // min as a string: the capacity rule (self.min <= self.max) is not run on it.
    assertThat(errors(GOOD.replace("{min: 1, max: 3}", "{min: '1', max: 3}")))
        .containsExactly(
            "spec.capacity.min: Invalid value: \"string\": spec.capacity.min in body must be of"
                + " type integer: \"string\"",
            notice);
    assertThat(errors(GOOD.replace("{min: 1, max: 3}", "{max: 3}")))
        .containsExactly("spec.capacity.min: Required value", notice);
    assertThat(errors(GOOD + "deletionPolicy: Orphan\n"))
        .containsExactly(
            "spec.deletionPolicy: Unsupported value: \"Orphan\": supported values: \"Delete\","
                + " \"Retain\"",
            notice);
    String seventeen =
        java.util.stream.IntStream.range(0, 17)
            .mapToObj(i -> "subnet-%08x".formatted(i))
            .collect(java.util.stream.Collectors.joining(", ", "[", "]"));
    assertThat(errors(GOOD.replace("[subnet-0123abcd]", seventeen)))
        .containsExactly("spec.subnetIds: Too many: 17: must have at most 16 items", notice);
  }

  @Test
  void aTransitionRuleRunsOnlyOnAnUpdate() throws IOException {
    JsonNode old = app(GOOD + "region: us-east-1\n");
    JsonNode moved = app(GOOD + "region: us-west-2\n");

    assertThat(CRD.validate(moved)).isEmpty();
    assertThat(CRD.validate(moved, old))
        .singleElement()
        .asString()
        .startsWith("spec.region: Invalid value: \"string\": region cannot change");
  }

  @Test
  void listMapKeysAreUnique() throws IOException {
    JsonNode twice = app(GOOD);
    ((com.fasterxml.jackson.databind.node.ObjectNode) twice)
        .set(
            "status",
            YAML.readTree(
                """
                conditions:
                  - {type: Ready, status: "True", reason: Ready, message: ok,
                     lastTransitionTime: "2026-01-01T00:00:00Z"}
                  - {type: Ready, status: "False", reason: Ready, message: ok,
                     lastTransitionTime: "2026-01-01T00:00:00Z"}
                """));

    assertThat(CRD.validate(twice).stream().map(Object::toString))
        .containsExactly(
            "status.conditions[1]: Duplicate value: map[string]interface {}{\"type\":\"Ready\"}");
  }

  @Test
  void fieldsTheSchemaDoesNotDeclareAreFoundAndPrunedButNotMetadataOrMapKeys() throws IOException {
    JsonNode extra =
        app(
            GOOD.replace("{min: 1, max: 3}", "{min: 1, max: 3, initial: 2}")
                + "replicas: 3\ntags: {team: web}\n");
    ((com.fasterxml.jackson.databind.node.ObjectNode) extra.get("metadata"))
        .putObject("labels")
        .put("app", "web");

    CrdValidator.Pruned result = CRD.prune(extra);
    assertThat(result.unknownFields()).containsExactly("spec.capacity.initial", "spec.replicas");
    JsonNode pruned = result.object();
    assertThat(pruned.at("/spec/replicas").isMissingNode()).isTrue();
    assertThat(pruned.at("/spec/capacity/initial").isMissingNode()).isTrue();
    assertThat(pruned.at("/spec/capacity/max").asInt()).isEqualTo(3);
    assertThat(pruned.at("/spec/tags/team").asText()).isEqualTo("web");
    assertThat(pruned.at("/metadata/labels/app").asText()).isEqualTo("web");
    assertThat(pruned.path("kind").asText()).isEqualTo("ScalableApp");
    assertThat(CRD.strictDecodingMessage(result.unknownFields()))
        .isEqualTo(
            "ScalableApp in version \"v1alpha1\" cannot be handled as a ScalableApp: strict"
                + " decoding error: unknown field \"spec.capacity.initial\", unknown field"
                + " \"spec.replicas\"");
  }

  @Test
  void theRefusalNamesTheObjectAndListsSeveralErrorsInBrackets() throws IOException {
    var one = CRD.validate(app(GOOD.replace("{min: 1, max: 3}", "{min: 5, max: 2}")));
    var two =
        CRD.validate(app(GOOD.replace("{min: 1, max: 3}", "{min: 5, max: 2}") + "keyName: ''\n"));

    assertThat(CRD.invalidMessage("web", one))
        .isEqualTo(
            "ScalableApp.scalableapp.io \"web\" is invalid: spec.capacity: Invalid value:"
                + " \"object\": capacity.min must be <= capacity.max");
    assertThat(CRD.invalidMessage("web", two))
        .startsWith("ScalableApp.scalableapp.io \"web\" is invalid: [")
        .contains("spec.keyName: Invalid value: \"\": ")
        .endsWith("]");
  }
}
