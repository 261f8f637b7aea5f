package io.scalableapp.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The printer columns' JSONPath and the AGE cell, as the API server computes them. */
class TableViewTest {
  static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void jsonPathsReadFieldsAndFilterListsAndMissOnAbsentValues() throws Exception {
    var app =
        JSON.readTree(
            """
            {"spec":{"instanceType":"t3.micro"},
             "status":{"conditions":[{"type":"Progressing","status":"False"},
                                     {"type":"Ready","status":"True"}]}}""");

    assertThat(TableView.evaluate(app, ".spec.instanceType").asText()).isEqualTo("t3.micro");
    assertThat(TableView.evaluate(app, ".status.conditions[?(@.type==\"Ready\")].status").asText())
        .isEqualTo("True");
    assertThat(TableView.evaluate(app, ".status.conditions[?(@.type==\"Stalled\")].status"))
        .isNull();
    assertThat(TableView.evaluate(app, ".status.loadBalancer.dnsName")).isNull();
  }

  @Test
  void ageIsShownAsKubectlShowsIt() {
    Instant t = Instant.parse("2026-01-01T00:00:00Z");
    assertThat(TableView.age(t, t.plusSeconds(45))).isEqualTo("45s");
    assertThat(TableView.age(t, t.plusSeconds(3 * 60))).isEqualTo("3m");
    assertThat(TableView.age(t, t.plusSeconds(5 * 3600 + 300))).isEqualTo("5h5m");
    assertThat(TableView.age(t, t.plusSeconds(4 * 86400))).isEqualTo("4d");
  }
}
