package io.scalableapp.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.scalableapp.operator.api.ScalableApp;
import io.scalableapp.operator.testing.Apps;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The embedded API over plain HTTP, as kubectl talks to it: writes admitted with the CRD's schema
 * and rules on every path that changes an app (create, update, merge and JSON patch, status, scale)
 * with the API server's answers (422 Invalid with its causes; unknown fields refused under Strict,
 * pruned with a warning otherwise), and watches streamed with the API server's start semantics.
 * KubectlIT drives the same with the real kubectl.
 */
class EmbeddedApiTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String APPS = "/apis/scalableapp.io/v1alpha1/namespaces/hr/scalableapps";

  EmbeddedCluster cluster;
  HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() {
    cluster = new EmbeddedCluster();
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  record Answer(int code, JsonNode body, List<String> warnings) {}

  Answer send(String method, String path, String contentType, Object body) throws Exception {
    String json = body instanceof String s ? s : Serialization.asJson(body);
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(cluster.url()).resolve(path))
            .method(method, HttpRequest.BodyPublishers.ofString(json))
            .header("Content-Type", contentType)
            .build();
    HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
    return new Answer(
        r.statusCode(),
        r.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(r.body()),
        r.headers().allValues("Warning"));
  }

  static ScalableApp web() {
    return Apps.web("hr", "web", List.of("subnet-0000000a"));
  }

  @Test
  void anInvalidCreateIs422InvalidWithItsCausesAndStoresNothing() throws Exception {
    ScalableApp bad = web();
    bad.getSpec().capacity.min = 5;
    bad.getSpec().capacity.max = 2;
    bad.getSpec().capacity.desired = null;

    Answer a = send("POST", APPS, "application/json", bad);

    assertThat(a.code()).isEqualTo(422);
    assertThat(a.body().path("reason").asText()).isEqualTo("Invalid");
    assertThat(a.body().path("message").asText())
        .isEqualTo(
            "ScalableApp.scalableapp.io \"web\" is invalid: spec.capacity: Invalid value:"
                + " \"object\": capacity.min must be <= capacity.max");
    JsonNode cause = a.body().at("/details/causes/0");
    assertThat(cause.path("field").asText()).isEqualTo("spec.capacity");
    assertThat(cause.path("reason").asText()).isEqualTo("FieldValueInvalid");
    assertThat(a.body().at("/details/kind").asText()).isEqualTo("ScalableApp");
    assertThat(cluster.get("hr", "web")).isNull();
  }

  @Test
  void everyWriteOfTheSpecIsAdmittedOnTheObjectItWouldStore() throws Exception {
    ScalableApp created = web();
    created.getSpec().region = "us-east-1";
    cluster.apply(created);
    String app = APPS + "/web";

    assertThat(
            send(
                    "PATCH",
                    app,
                    "application/merge-patch+json",
                    "{\"spec\":{\"capacity\":{\"min\":9}}}")
                .code())
        .isEqualTo(422);
    assertThat(
            send(
                    "PATCH",
                    app,
                    "application/json-patch+json",
                    "[{\"op\":\"replace\",\"path\":\"/spec/capacity/min\",\"value\":9}]")
                .code())
        .isEqualTo(422);
    ScalableApp put = cluster.get("hr", "web");
    put.getSpec().capacity.min = 9;
    assertThat(send("PUT", app, "application/json", put).code()).isEqualTo(422);
    // A transition rule: the region is fixed once made.
    Answer moved =
        send("PATCH", app, "application/merge-patch+json", "{\"spec\":{\"region\":\"eu-west-1\"}}");
    assertThat(moved.code()).isEqualTo(422);
    assertThat(moved.body().path("message").asText())
        .contains("spec.region: Invalid value: \"string\": region cannot change");
    // The scale subresource writes spec.capacity.desired: above max is refused too.
    Answer scaled =
        send(
            "PUT",
            app + "/scale",
            "application/json",
            "{\"apiVersion\":\"autoscaling/v1\",\"kind\":\"Scale\",\"spec\":{\"replicas\":50}}");
    assertThat(scaled.code()).isEqualTo(422);
    assertThat(scaled.body().at("/details/causes/0/field").asText()).isEqualTo("spec.capacity");

    ScalableApp stored = cluster.get("hr", "web");
    assertThat(stored.getSpec().capacity.min).isEqualTo(web().getSpec().capacity.min);
    assertThat(stored.getSpec().region).isEqualTo("us-east-1");
    assertThat(stored.getMetadata().getGeneration()).isEqualTo(1L);
    // And a good change still goes through.
    assertThat(
            send(
                    "PATCH",
                    app,
                    "application/merge-patch+json",
                    "{\"spec\":{\"capacity\":{\"max\":5}}}")
                .code())
        .isEqualTo(200);
  }

  @Test
  void aStatusTheSchemaRefusesIsRefused() throws Exception {
    cluster.apply(web());

    Answer a =
        send(
            "PATCH",
            APPS + "/web/status",
            "application/merge-patch+json",
            "{\"status\":{\"conditions\":[{\"type\":\"Ready\",\"status\":\"Maybe\","
                + "\"reason\":\"R\",\"message\":\"m\",\"lastTransitionTime\":\"2026-01-01T00:00:00Z\"}]}}");

    assertThat(a.code()).isEqualTo(422);
    assertThat(a.body().path("message").asText())
        .contains(
            "status.conditions[0].status: Unsupported value: \"Maybe\": supported values:"
                + " \"True\", \"False\", \"Unknown\"");
    assertThat(cluster.get("hr", "web").getStatus()).isNull();
  }

  @Test
  void unknownFieldsAreRefusedUnderStrictAndOtherwisePrunedWithAWarning() throws Exception {
    ObjectNode extra = Serialization.jsonMapper().valueToTree(web());
    ((ObjectNode) extra.get("spec")).put("replicas", 3);

    Answer strict = send("POST", APPS + "?fieldValidation=Strict", "application/json", extra);
    assertThat(strict.code()).isEqualTo(400);
    assertThat(strict.body().path("message").asText())
        .isEqualTo(
            "ScalableApp in version \"v1alpha1\" cannot be handled as a ScalableApp: strict"
                + " decoding error: unknown field \"spec.replicas\"");
    assertThat(cluster.get("hr", "web")).isNull();

    Answer warned = send("POST", APPS, "application/json", extra);
    assertThat(warned.code()).isEqualTo(201);
    assertThat(warned.warnings()).containsExactly("299 - \"unknown field \\\"spec.replicas\\\"\"");
    assertThat(warned.body().at("/spec/replicas").isMissingNode()).isTrue();

    Answer ignored =
        send(
            "PATCH",
            APPS + "/web?fieldValidation=Ignore",
            "application/merge-patch+json",
            "{\"spec\":{\"replicas\":4,\"capacity\":{\"max\":5}}}");
    assertThat(ignored.code()).isEqualTo(200);
    assertThat(ignored.warnings()).isEmpty();
    assertThat(ignored.body().at("/spec/capacity/max").asInt()).isEqualTo(5);
    assertThat(ignored.body().at("/spec/replicas").isMissingNode()).isTrue();
  }

  @Test
  void aCreateDropsTheStatusBeforeCheckingAsTheApiServerDoes() throws Exception {
    ObjectNode withStatus = Serialization.jsonMapper().valueToTree(web());
    withStatus.putObject("status").put("phase", "NoSuchPhase");

    Answer a = send("POST", APPS, "application/json", withStatus);

    assertThat(a.code()).as(a.body().toString()).isEqualTo(201);
    assertThat(a.body().has("status")).isFalse();
  }

  @Test
  void aStaleWriteIsAConflictBeforeItIsInvalid() throws Exception {
    cluster.apply(web());
    ScalableApp read = cluster.get("hr", "web");
    cluster.edit("hr", "web", a -> a.getSpec().capacity.max = 5);
    read.getSpec().capacity.min = 9; // invalid too, but stale first

    assertThat(send("PUT", APPS + "/web", "application/json", read).code()).isEqualTo(409);
  }

  @Test
  void withoutCrdValidationAnythingIsStoredAsWhenTheCrdLacksItsRules() throws Exception {
    cluster.close();
    cluster = EmbeddedCluster.withoutCrdValidation();
    ScalableApp bad = web();
    bad.getSpec().capacity.min = 5;

    assertThat(send("POST", APPS, "application/json", bad).code()).isEqualTo(201);
  }

  @Test
  void listsHonourFieldSelectorsAsTheApiServerDoes() throws Exception {
    cluster.apply(web());
    ScalableApp other = web();
    other.getMetadata().setName("other");
    cluster.apply(other);

    assertThat(names("fieldSelector=metadata.name%3Dweb")).containsExactly("web");
    assertThat(names("fieldSelector=metadata.name!%3Dweb")).containsExactly("other");
    assertThat(names("fieldSelector=metadata.namespace%3Dhr,metadata.name%3D%3Dother"))
        .containsExactly("other");
    assertThat(names("fieldSelector=metadata.name%3Dnone")).isEmpty();
  }

  List<String> names(String query) throws Exception {
    JsonNode list =
        JSON.readTree(
            http.send(
                    HttpRequest.newBuilder(URI.create(cluster.url()).resolve(APPS + "?" + query))
                        .build(),
                    HttpResponse.BodyHandlers.ofString())
                .body());
    return list.path("items").findValuesAsText("name");
  }

  // --- watches over plain HTTP

  /**
   * The lines of a watch, as they come; returns once the answer's head is in, which the server
   * sends only when the watch is live.
   */
  BlockingQueue<String> watch(String query, String accept) throws Exception {
    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(cluster.url()).resolve(APPS + "?watch=true" + query))
            .header("Accept", accept)
            .build();
    HttpResponse<java.util.stream.Stream<String>> response =
        http.sendAsync(request, HttpResponse.BodyHandlers.ofLines()).get(10, TimeUnit.SECONDS);
    assertThat(response.statusCode()).isEqualTo(200);
    Thread reader =
        new Thread(
            () -> {
              try {
                response.body().forEach(lines::add);
              } catch (java.io.UncheckedIOException closed) {
                // The server went away at the end of the test.
              }
            });
    reader.setDaemon(true);
    reader.start();
    return lines;
  }

  static JsonNode next(BlockingQueue<String> lines) throws Exception {
    String line = lines.poll(10, TimeUnit.SECONDS);
    assertThat(line).as("a watch event within 10 s").isNotNull();
    return JSON.readTree(line);
  }

  @Test
  void aWatchFromAResourceVersionSendsOnlyLaterChanges() throws Exception {
    cluster.apply(web());
    String listed = list().at("/metadata/resourceVersion").asText();

    var lines = watch("&resourceVersion=" + listed, "application/json");
    cluster.edit("hr", "web", a -> a.getSpec().capacity.max = 5);

    JsonNode e = next(lines);
    assertThat(e.path("type").asText()).isEqualTo("MODIFIED");
    assertThat(e.at("/object/spec/capacity/max").asInt()).isEqualTo(5);
    assertThat(lines.poll(300, TimeUnit.MILLISECONDS)).as("nothing else").isNull();
  }

  @Test
  void aWatchWithoutOneStartsWithTheObjectsAndAStreamingListEndsThemWithABookmark()
      throws Exception {
    cluster.apply(web());

    var plain = watch("", "application/json");
    assertThat(next(plain).path("type").asText()).isEqualTo("ADDED");

    var streaming =
        watch(
            "&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true",
            "application/json");
    JsonNode added = next(streaming);
    assertThat(added.path("type").asText()).isEqualTo("ADDED");
    JsonNode bookmark = next(streaming);
    assertThat(bookmark.path("type").asText()).isEqualTo("BOOKMARK");
    assertThat(bookmark.at("/object/kind").asText()).isEqualTo("ScalableApp");
    assertThat(bookmark.at("/object/metadata/annotations/k8s.io~1initial-events-end").asText())
        .isEqualTo("true");
    cluster.client().resources(ScalableApp.class).inNamespace("hr").withName("web").delete();
    assertThat(next(streaming).path("type").asText()).isEqualTo("DELETED");
  }

  @Test
  void aWatchThatAsksForTablesGetsOneRowTables() throws Exception {
    var lines = watch("", "application/json;as=Table;v=v1;g=meta.k8s.io,application/json");
    cluster.apply(web());

    JsonNode e = next(lines);
    assertThat(e.path("type").asText()).isEqualTo("ADDED");
    assertThat(e.at("/object/kind").asText()).isEqualTo("Table");
    assertThat(e.at("/object/rows/0/cells/0").asText()).isEqualTo("web");
  }

  JsonNode list() throws IOException, InterruptedException {
    return JSON.readTree(
        http.send(
                HttpRequest.newBuilder(URI.create(cluster.url()).resolve(APPS)).build(),
                HttpResponse.BodyHandlers.ofString())
            .body());
  }
}
