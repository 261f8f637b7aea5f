package io.scalableapp.operator.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.utils.Serialization;
import io.scalableapp.operator.plan.SpecValidator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Reading a ScalableApp never fails: what cannot be read is reported with its field path. */
class ScalableAppReadingTest {
  static ScalableApp read(String spec, String status) {
    return Serialization.unmarshal(
        """
        {"apiVersion":"scalableapp.io/v1alpha1","kind":"ScalableApp",
         "metadata":{"name":"web","namespace":"ns"},
         "spec":%s,"status":%s}\
        """
            .formatted(spec, status),
        ScalableApp.class);
  }

  static final String GOOD =
      """
      {"instanceType":"t3.micro","imageId":"ami-0123abcd","subnetIds":["subnet-0123abcd"],
       "capacity":{"min":1,"max":2}}""";

  @Test
  void unknownFieldsAreIgnoredNotFatal() {
    // e.g. `kubectl scale` against a server without the scale subresource writes spec.replicas; a
    // newer CRD may add fields. Either must not stop the informer that serves every app.
    var app =
        read(
            """
            {"instanceType":"t3.micro","replicas":4,"capacity":{"min":1,"max":2,"future":true}}""",
            """
            {"phase":"Ready","somethingNew":1,"conditions":[{"type":"Ready","status":"True","x":1}]}""");
    assertThat(app.getSpec().instanceType).isEqualTo("t3.micro");
    assertThat(app.getSpec().capacity.max).isEqualTo(2);
    assertThat(app.getSpec().unreadable()).isEmpty();
    assertThat(app.getStatus().isReady()).isTrue();
  }

  static Stream<Arguments> malformed() {
    return Stream.of(
        Arguments.of(
            "a string where a number belongs",
            GOOD.replace("\"min\":1", "\"min\":\"two\""),
            "spec.capacity.min: 'two' is not an integer"),
        Arguments.of(
            "a fraction where an integer belongs",
            GOOD.replace("\"max\":2", "\"max\":2.5"),
            "spec.capacity.max: 2.5 is not an integer"),
        Arguments.of(
            "an object where a list belongs",
            GOOD.replace("[\"subnet-0123abcd\"]", "{\"a\":\"subnet-0123abcd\"}"),
            "spec.subnetIds: expected a list, got an object"),
        Arguments.of(
            "a string where a list belongs",
            GOOD.replace("[\"subnet-0123abcd\"]", "\"subnet-0123abcd\""),
            "spec.subnetIds: expected a list, got the string 'subnet-0123abcd'"),
        Arguments.of(
            "a list where an object belongs",
            GOOD.replace("{\"min\":1,\"max\":2}", "[1,2]"),
            "spec.capacity: expected an object, got a list"),
        Arguments.of(
            "a number where an object belongs (wrong nesting)",
            GOOD.replace("}", ",\"targetGroup\":{\"healthCheck\":30}}"),
            "spec.targetGroup.healthCheck: expected an object, got the number 30"),
        Arguments.of(
            "an object where a string belongs",
            GOOD.replace("\"t3.micro\"", "{\"size\":\"micro\"}"),
            "spec.instanceType: expected a string, got an object"),
        Arguments.of(
            "a string where true or false belongs",
            GOOD.replace("}", ",\"paused\":\"maybe\"}"),
            "spec.paused: 'maybe' is not true or false"),
        Arguments.of(
            "a list item that is not a string",
            GOOD.replace("[\"subnet-0123abcd\"]", "[\"subnet-0123abcd\",{\"id\":1}]"),
            "spec.subnetIds[1]: expected a string, got an object"),
        Arguments.of(
            "the only list item not a string",
            GOOD.replace("[\"subnet-0123abcd\"]", "[{\"id\":\"subnet-0123abcd\"}]"),
            "spec.subnetIds[0]: expected a string, got an object"),
        Arguments.of(
            "a spec that is not an object", "\"web\"", "spec: expected an object, got the string"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformed")
  void aBodyThatCannotBeReadIsReportedWithItsPathNeverThrown(
      String name, String spec, String problem) {
    var app = read(spec, "{}");

    assertThat(app.getSpec().unreadable()).singleElement().asString().startsWith(problem);
    List<String> invalid = SpecValidator.validate(app.getSpec());
    assertThat(invalid).first().asString().startsWith(problem);
    String field = problem.substring(0, problem.indexOf(':'));
    assertThat(invalid.stream().skip(1))
        .as("no second message about the value that was not read")
        .noneMatch(p -> p.startsWith(field + ":"));
  }

  @Test
  void whatCanBeReadStaysReadAndSeveralProblemsAreAllReported() {
    var app =
        read(
            GOOD.replace("\"min\":1", "\"min\":\"one\"").replace("\"max\":2", "\"max\":[2]"), "{}");
    assertThat(app.getSpec().instanceType).isEqualTo("t3.micro");
    assertThat(app.getSpec().subnetIds).containsExactly("subnet-0123abcd");
    assertThat(app.getSpec().unreadable())
        .containsExactly(
            "spec.capacity.min: 'one' is not an integer",
            "spec.capacity.max: expected an integer, got a list");
  }

  @Test
  void aStatusThatCannotBeReadIsDroppedWhereItCannotBeRead() {
    var app = read(GOOD, "{\"replicas\":\"x\",\"phase\":\"Sideways\",\"conditions\":{}}");
    assertThat(app.getSpec().unreadable()).isEmpty();
    assertThat(app.getStatus()).isNotNull();
    assertThat(app.getStatus().replicas).isNull();
    assertThat(app.getStatus().phase).isNull();
  }
}
