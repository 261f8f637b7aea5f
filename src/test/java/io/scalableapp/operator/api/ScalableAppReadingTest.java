package io.scalableapp.operator.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.Test;

class ScalableAppReadingTest {
  @Test
  void unknownFieldsAreIgnoredNotFatal() {
    // e.g. `kubectl scale` against a server without the scale subresource writes spec.replicas; a
    // newer CRD may add fields. Either must not stop the informer that serves every app.
    var app =
        Serialization.unmarshal(
            """
            {"apiVersion":"scalableapp.io/v1alpha1","kind":"ScalableApp",
             "metadata":{"name":"web","namespace":"ns"},
             "spec":{"instanceType":"t3.micro","replicas":4,"capacity":{"min":1,"max":2,"future":true}},
             "status":{"phase":"Ready","somethingNew":1,"conditions":[{"type":"Ready","status":"True","x":1}]}}\
            """,
            ScalableApp.class);
    assertThat(app.getSpec().instanceType).isEqualTo("t3.micro");
    assertThat(app.getSpec().capacity.max).isEqualTo(2);
    assertThat(app.getStatus().isReady()).isTrue();
  }
}
