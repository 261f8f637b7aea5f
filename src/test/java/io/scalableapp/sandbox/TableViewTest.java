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
  void eventsHaveTheApiServersColumnsWithTheObjectAsKindSlashName() throws Exception {
    var event =
        JSON.readTree(
            """
            {"metadata":{"name":"web.1"},"type":"Warning","reason":"AwsError","message":"no",
             "involvedObject":{"kind":"ScalableApp","name":"web"},"count":2,
             "lastTimestamp":"2026-01-01T00:00:00Z","source":{"component":"op"}}""");

    var table = TableView.events().table(event, java.time.Instant.parse("2026-01-01T00:01:00Z"));

    assertThat(table.path("columnDefinitions").findValuesAsText("name"))
        .containsExactly(
            "Last Seen",
            "Type",
            "Reason",
            "Object",
            "Source",
            "Message",
            "First Seen",
            "Count",
            "Name");
    assertThat(table.at("/columnDefinitions/4/priority").asInt()).isEqualTo(1);
    assertThat(table.at("/rows/0/cells").toString())
        .isEqualTo(
            "[\"60s\",\"Warning\",\"AwsError\",\"scalableapp/web\",\"op\",\"no\",null,2,\"web.1\"]");
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
