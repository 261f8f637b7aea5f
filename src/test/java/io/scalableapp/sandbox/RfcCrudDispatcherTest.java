package io.scalableapp.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.NamespacedKubernetesClient;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Proves that {@link RfcCrudDispatcher} behaves like a real API server for JSON merge patch (RFC
 * 7386), for the status subresource addressed with query parameters, and for resourceVersion and
 * generation bookkeeping. Each test talks HTTP to a mock server through a fabric8 client.
 */
class RfcCrudDispatcherTest {

  private static final String NAMESPACE = "test"; // the namespace of server.createClient()
  private static final String FIELD_MANAGER = "rfc-test";
  private static final CustomResourceDefinitionContext SCALABLE_APPS =
      new CustomResourceDefinitionContext.Builder()
          .withGroup("scalableapp.io")
          .withVersion("v1alpha1")
          .withKind("ScalableApp")
          .withPlural("scalableapps")
          .withScope("Namespaced")
          .withStatusSubresource(true)
          .build();
  private static final String APP_PATH =
      "/apis/scalableapp.io/v1alpha1/namespaces/" + NAMESPACE + "/scalableapps/web";
  private static final ObjectMapper JSON = new ObjectMapper();

  private KubernetesMockServer server;
  private NamespacedKubernetesClient client;

  @BeforeEach
  void startServer() {
    server = RfcCrudDispatcher.newServer(SCALABLE_APPS);
    server.init();
    client = server.createClient();
  }

  @AfterEach
  void stopServer() {
    client.close();
    server.destroy();
  }

  // --- JSON merge patch (RFC 7386) on a built-in kind ---------------------------------------

  @Test
  void mergePatchReplacesArrayInsteadOfAppending() {
    createConfigMap(List.of("example.com/one", "example.com/two"));

    ConfigMap patched =
        mergePatch(configMap(), "{\"metadata\":{\"finalizers\":[\"example.com/three\"]}}");

    assertThat(patched.getMetadata().getFinalizers()).containsExactly("example.com/three");
    assertThat(configMap().get().getMetadata().getFinalizers())
        .containsExactly("example.com/three");
  }

  @Test
  void mergePatchWithEmptyFinalizersRemovesThem() {
    createConfigMap(List.of("example.com/one", "example.com/two"));

    mergePatch(configMap(), "{\"metadata\":{\"finalizers\":[]}}");

    assertThat(configMap().get().getMetadata().getFinalizers()).isEmpty();
  }

  @Test
  void mergePatchRemovingLastFinalizerOfTerminatingObjectDeletesIt() {
    createConfigMap(List.of("example.com/one"));
    configMap().delete();
    assertThat(configMap().get().getMetadata().getDeletionTimestamp()).isNotNull();

    mergePatch(configMap(), "{\"metadata\":{\"finalizers\":[]}}");

    assertThat(configMap().get()).isNull();
  }

  @Test
  void mergePatchNullRemovesKey() {
    createConfigMap(List.of());

    mergePatch(configMap(), "{\"data\":{\"drop\":null},\"metadata\":{\"labels\":{\"tier\":null}}}");

    ConfigMap stored = configMap().get();
    assertThat(stored.getData()).containsExactly(Map.entry("keep", "1"));
    assertThat(stored.getMetadata().getLabels()).containsExactly(Map.entry("app", "web"));
  }

  @Test
  void mergePatchMergesNestedObjects() {
    createConfigMap(List.of());

    mergePatch(configMap(), "{\"data\":{\"added\":\"3\"},\"metadata\":{\"labels\":{\"x\":\"y\"}}}");

    ConfigMap stored = configMap().get();
    assertThat(stored.getData())
        .containsOnly(Map.entry("keep", "1"), Map.entry("drop", "2"), Map.entry("added", "3"));
    assertThat(stored.getMetadata().getLabels())
        .containsOnly(Map.entry("app", "web"), Map.entry("tier", "backend"), Map.entry("x", "y"));
  }

  @Test
  void mergePatchWithStaleResourceVersionIsAConflict() {
    createConfigMap(List.of());

    assertThatThrownBy(
            () ->
                mergePatch(
                    configMap(),
                    "{\"metadata\":{\"resourceVersion\":\"999\"},\"data\":{\"keep\":\"2\"}}"))
        .isInstanceOfSatisfying(
            KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(409));
    assertThat(configMap().get().getData()).containsEntry("keep", "1");
  }

  @Test
  void mergePatchOfMissingObjectIsNotFound() {
    assertThatThrownBy(() -> mergePatch(configMap(), "{\"data\":{\"a\":\"b\"}}"))
        .isInstanceOfSatisfying(
            KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(404));
  }

  // --- status subresource ---------------------------------------------------------------------

  @Test
  void statusMergePatchWithFieldManagerUpdatesStatusOnly() throws Exception {
    GenericKubernetesResource created = createApp();
    String generation = String.valueOf(created.getMetadata().getGeneration());

    GenericKubernetesResource patched =
        patchStatus(
            "{\"status\":{\"phase\":\"Ready\"},"
                + "\"spec\":{\"replicas\":9},"
                + "\"metadata\":{\"labels\":{\"sneaky\":\"yes\"},\"finalizers\":[]}}");

    // The client really sent the query parameter that used to hide the status subresource.
    assertThat(server.getLastRequest().getPath())
        .isEqualTo(APP_PATH + "/status?fieldManager=" + FIELD_MANAGER);
    GenericKubernetesResource stored = app().get();
    assertThat(patched.getMetadata().getResourceVersion())
        .isEqualTo(stored.getMetadata().getResourceVersion());
    assertThat((String) stored.get("status", "phase")).isEqualTo("Ready");
    assertThat((Integer) stored.get("spec", "replicas")).isEqualTo(2);
    assertThat(stored.getMetadata().getLabels()).doesNotContainKey("sneaky");
    assertThat(stored.getMetadata().getFinalizers()).containsExactly("scalableapp.io/cleanup");
    assertThat(String.valueOf(stored.getMetadata().getGeneration())).isEqualTo(generation);
    assertThat(resourceVersion(stored)).isGreaterThan(resourceVersion(created));
  }

  @Test
  void statusMergePatchReplacesConditionsInsteadOfAppending() {
    createApp();
    patchStatus(
        "{\"status\":{\"conditions\":[{\"type\":\"Ready\",\"status\":\"False\"},"
            + "{\"type\":\"Progressing\",\"status\":\"True\"}]}}");

    patchStatus("{\"status\":{\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\"}]}}");

    List<Map<String, Object>> conditions = app().get().get("status", "conditions");
    assertThat(conditions).containsExactly(Map.of("type", "Ready", "status", "True"));
  }

  @Test
  void statusMergePatchNullRemovesStatusField() {
    createApp();
    patchStatus("{\"status\":{\"phase\":\"Ready\",\"message\":\"all good\"}}");

    patchStatus("{\"status\":{\"message\":null}}");

    Map<String, Object> status = app().get().get("status");
    assertThat(status).containsExactly(Map.entry("phase", "Ready"));
  }

  @Test
  void statusMergePatchWithStaleResourceVersionIsAConflict() {
    createApp();

    assertThatThrownBy(
            () ->
                patchStatus(
                    "{\"metadata\":{\"resourceVersion\":\"999\"},\"status\":{\"phase\":\"X\"}}"))
        .isInstanceOfSatisfying(
            KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(409));
    Object status = app().get().get("status");
    assertThat(status).isNull();
  }

  @Test
  void statusPutWithQueryParameterUpdatesStatusOnly() throws Exception {
    GenericKubernetesResource created = createApp();
    GenericKubernetesResource body = app().get();
    body.setAdditionalProperty("status", Map.of("phase", "Ready"));
    body.setAdditionalProperty("spec", Map.of("replicas", 9));
    body.getMetadata().setFinalizers(List.of());

    HttpResponse<String> response =
        send("PUT", APP_PATH + "/status?fieldManager=" + FIELD_MANAGER, json(body));

    assertThat(response.code()).isEqualTo(200);
    GenericKubernetesResource stored = app().get();
    assertThat((String) stored.get("status", "phase")).isEqualTo("Ready");
    assertThat((Integer) stored.get("spec", "replicas")).isEqualTo(2);
    assertThat(stored.getMetadata().getFinalizers()).containsExactly("scalableapp.io/cleanup");
    assertThat(stored.getMetadata().getGeneration())
        .isEqualTo(created.getMetadata().getGeneration());
  }

  @Test
  void statusPutWithStaleResourceVersionIsAConflict() throws Exception {
    createApp();
    GenericKubernetesResource body = app().get();
    body.getMetadata().setResourceVersion("999");
    body.setAdditionalProperty("status", Map.of("phase", "Ready"));

    HttpResponse<String> response = send("PUT", APP_PATH + "/status", json(body));

    assertThat(response.code()).isEqualTo(409);
    Object status = app().get().get("status");
    assertThat(status).isNull();
  }

  @Test
  void mainResourceMergePatchDoesNotChangeStatus() {
    createApp();
    patchStatus("{\"status\":{\"phase\":\"Ready\"}}");

    mergePatch(app(), "{\"spec\":{\"replicas\":3},\"status\":{\"phase\":\"Broken\"}}");

    GenericKubernetesResource stored = app().get();
    assertThat((Integer) stored.get("spec", "replicas")).isEqualTo(3);
    assertThat((String) stored.get("status", "phase")).isEqualTo("Ready");
  }

  @Test
  void mainResourcePutWithQueryParameterDoesNotChangeStatus() throws Exception {
    createApp();
    patchStatus("{\"status\":{\"phase\":\"Ready\"}}");
    GenericKubernetesResource body = app().get();
    body.setAdditionalProperty("status", Map.of("phase", "Broken"));
    body.setAdditionalProperty("spec", Map.of("replicas", 3, "zones", List.of("a")));

    HttpResponse<String> response =
        send("PUT", APP_PATH + "?fieldManager=" + FIELD_MANAGER, json(body));

    assertThat(response.code()).isEqualTo(200);
    GenericKubernetesResource stored = app().get();
    assertThat((Integer) stored.get("spec", "replicas")).isEqualTo(3);
    assertThat((String) stored.get("status", "phase")).isEqualTo("Ready");
  }

  // --- generation and resourceVersion ---------------------------------------------------------

  @Test
  void generationFollowsSpecChangesOnly() {
    GenericKubernetesResource created = createApp();
    assertThat(created.getMetadata().getGeneration()).isEqualTo(1L);

    GenericKubernetesResource afterSpec = mergePatch(app(), "{\"spec\":{\"zones\":[\"c\"]}}");
    assertThat(afterSpec.getMetadata().getGeneration()).isEqualTo(2L);
    List<String> zones = afterSpec.get("spec", "zones");
    assertThat(zones).containsExactly("c");

    GenericKubernetesResource afterStatus = patchStatus("{\"status\":{\"phase\":\"Ready\"}}");
    assertThat(afterStatus.getMetadata().getGeneration()).isEqualTo(2L);
    assertThat(resourceVersion(afterStatus)).isGreaterThan(resourceVersion(afterSpec));

    GenericKubernetesResource afterMetadata =
        mergePatch(app(), "{\"metadata\":{\"labels\":{\"team\":\"sre\"}}}");
    assertThat(afterMetadata.getMetadata().getGeneration()).isEqualTo(2L);
    assertThat(resourceVersion(afterMetadata)).isGreaterThan(resourceVersion(afterStatus));

    // Status in a main-resource patch is ignored, so this is a no-op: nothing moves.
    GenericKubernetesResource afterNoop =
        mergePatch(app(), "{\"spec\":{\"replicas\":2},\"status\":{\"phase\":\"Broken\"}}");
    assertThat(afterNoop.getMetadata().getGeneration()).isEqualTo(2L);
    assertThat(afterNoop.getMetadata().getResourceVersion())
        .isEqualTo(afterMetadata.getMetadata().getResourceVersion());
  }

  // --- JSON patch (RFC 6902), as JOSDK patches status without server-side apply ---------------

  @Test
  void statusJsonPatchChangesStatusOnly() {
    createApp();
    patchStatus("{\"status\":{\"warm\":{\"Warmed:Pending\":2}}}");

    app()
        .subresource("status")
        .patch(
            PatchContext.of(PatchType.JSON),
            "[{\"op\":\"move\",\"from\":\"/status/warm/Warmed:Pending\","
                + "\"path\":\"/status/warm/Warmed:Stopped\"},"
                + "{\"op\":\"replace\",\"path\":\"/spec/replicas\",\"value\":7}]");

    GenericKubernetesResource stored = app().get();
    assertThat((Map<String, Object>) stored.get("status", "warm"))
        .containsExactly(Map.entry("Warmed:Stopped", 2));
    assertThat((Integer) stored.get("spec", "replicas")).isEqualTo(2);
  }

  @Test
  void jsonPatchThatCannotApplyIsRefusedWith422AndChangesNothing() {
    // A diff against an object older than the stored one (a write the client had not seen).
    createApp();
    patchStatus("{\"status\":{\"warm\":{\"Warmed:Stopped\":2}}}");

    assertThatThrownBy(
            () ->
                app()
                    .subresource("status")
                    .patch(
                        PatchContext.of(PatchType.JSON),
                        "[{\"op\":\"move\",\"from\":\"/status/warm/Warmed:Pending\","
                            + "\"path\":\"/status/warm/Warmed:Running\"}]"))
        .isInstanceOfSatisfying(
            KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(422));
    assertThat((Map<String, Object>) app().get().get("status", "warm"))
        .containsExactly(Map.entry("Warmed:Stopped", 2));
  }

  // --- the rest still works as in the stock mock ------------------------------------------------

  @Test
  void jsonPatchAndListsStillWork() {
    createApp();

    app()
        .patch(
            PatchContext.of(PatchType.JSON),
            "[{\"op\":\"replace\",\"path\":\"/spec/replicas\",\"value\":5}]");

    GenericKubernetesResourceList list = apps().list();
    assertThat(list.getItems()).hasSize(1);
    assertThat((Integer) list.getItems().get(0).get("spec", "replicas")).isEqualTo(5);
    assertThat(list.getItems().get(0).getMetadata().getGeneration()).isEqualTo(2L);
  }

  @Test
  void recordedExpectationsAreStillServed() {
    server
        .expect()
        .get()
        .withPath("/api/v1/namespaces/test/configmaps/canned")
        .andReturn(
            200,
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName("canned")
                .endMetadata()
                .addToData("from", "expectation")
                .build())
        .once();

    assertThat(client.configMaps().withName("canned").get().getData())
        .containsEntry("from", "expectation");
    assertThat(client.getKubernetesVersion()).isNotNull();
  }

  @Test
  void mergePatchFollowsRfc7386Examples() throws Exception {
    // Appendix A of RFC 7386.
    assertMerge("{\"a\":\"b\"}", "{\"a\":\"c\"}", "{\"a\":\"c\"}");
    assertMerge("{\"a\":\"b\"}", "{\"b\":\"c\"}", "{\"a\":\"b\",\"b\":\"c\"}");
    assertMerge("{\"a\":\"b\"}", "{\"a\":null}", "{}");
    assertMerge("{\"a\":\"b\",\"b\":\"c\"}", "{\"a\":null}", "{\"b\":\"c\"}");
    assertMerge("{\"a\":[\"b\"]}", "{\"a\":\"c\"}", "{\"a\":\"c\"}");
    assertMerge("{\"a\":\"c\"}", "{\"a\":[\"b\"]}", "{\"a\":[\"b\"]}");
    assertMerge(
        "{\"a\":{\"b\":\"c\"}}", "{\"a\":{\"b\":\"d\",\"c\":null}}", "{\"a\":{\"b\":\"d\"}}");
    assertMerge("{\"a\":[{\"b\":\"c\"}]}", "{\"a\":[1]}", "{\"a\":[1]}");
    assertMerge("[\"a\",\"b\"]", "[\"c\",\"d\"]", "[\"c\",\"d\"]");
    assertMerge("{\"a\":\"b\"}", "[\"c\"]", "[\"c\"]");
    assertMerge("{\"a\":\"foo\"}", "null", "null");
    assertMerge("{\"a\":\"foo\"}", "\"bar\"", "\"bar\"");
    assertMerge("{\"e\":null}", "{\"a\":1}", "{\"e\":null,\"a\":1}");
    assertMerge("[1,2]", "{\"a\":\"b\",\"c\":null}", "{\"a\":\"b\"}");
    assertMerge("{}", "{\"a\":{\"bb\":{\"ccc\":null}}}", "{\"a\":{\"bb\":{}}}");

    JsonNode target = JSON.readTree("{\"a\":{\"b\":[1]}}");
    RfcCrudDispatcher.mergePatch(target, JSON.readTree("{\"a\":{\"b\":[2]}}"));
    assertThat(target).isEqualTo(JSON.readTree("{\"a\":{\"b\":[1]}}")); // input untouched
  }

  // --- helpers ----------------------------------------------------------------------------------

  private Resource<ConfigMap> configMap() {
    return client.configMaps().withName("settings");
  }

  private void createConfigMap(List<String> finalizers) {
    client
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName("settings")
                .addToLabels("app", "web")
                .addToLabels("tier", "backend")
                .withFinalizers(finalizers)
                .endMetadata()
                .addToData("keep", "1")
                .addToData("drop", "2")
                .build())
        .create();
  }

  private MixedOperation<
          GenericKubernetesResource,
          GenericKubernetesResourceList,
          Resource<GenericKubernetesResource>>
      apps() {
    return client.genericKubernetesResources(SCALABLE_APPS);
  }

  private Resource<GenericKubernetesResource> app() {
    return apps().withName("web");
  }

  private GenericKubernetesResource createApp() {
    return apps()
        .resource(
            new GenericKubernetesResourceBuilder()
                .withApiVersion("scalableapp.io/v1alpha1")
                .withKind("ScalableApp")
                .withNewMetadata()
                .withName("web")
                .addToFinalizers("scalableapp.io/cleanup")
                .endMetadata()
                .addToAdditionalProperties(
                    "spec", Map.of("replicas", 2, "zones", List.of("a", "b")))
                .build())
        .create();
  }

  private static <T> T mergePatch(Resource<T> resource, String patch) {
    return resource.patch(PatchContext.of(PatchType.JSON_MERGE), patch);
  }

  /** A JSON merge patch to the status subresource, sent with {@code ?fieldManager=}. */
  private GenericKubernetesResource patchStatus(String patch) {
    return app()
        .subresource("status")
        .patch(
            new PatchContext.Builder()
                .withPatchType(PatchType.JSON_MERGE)
                .withFieldManager(FIELD_MANAGER)
                .build(),
            patch);
  }

  /** Sends a raw request, for query parameters the fabric8 DSL only adds to some verbs. */
  private HttpResponse<String> send(String method, String path, String body) throws Exception {
    HttpClient http = client.getHttpClient();
    HttpRequest request =
        http.newHttpRequestBuilder()
            .uri(server.url(path))
            .method(method, "application/json", body)
            .build();
    return http.sendAsync(request, String.class).get(10, TimeUnit.SECONDS);
  }

  private static String json(Object value) throws Exception {
    return JSON.writeValueAsString(value);
  }

  private static long resourceVersion(GenericKubernetesResource resource) {
    return Long.parseLong(resource.getMetadata().getResourceVersion());
  }

  private static void assertMerge(String target, String patch, String expected) throws Exception {
    assertThat(RfcCrudDispatcher.mergePatch(JSON.readTree(target), JSON.readTree(patch)))
        .as("merge %s into %s", patch, target)
        .isEqualTo(JSON.readTree(expected));
  }
}
