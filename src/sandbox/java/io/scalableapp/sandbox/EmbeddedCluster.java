package io.scalableapp.sandbox;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.javaoperatorsdk.operator.Operator;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.scalableapp.operator.OperatorConfig;
import io.scalableapp.operator.OperatorRuntime;
import io.scalableapp.operator.api.ScalableApp;
import io.scalableapp.operator.cloud.CloudProvider;
import io.scalableapp.operator.reconcile.ScalableAppReconciler;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.function.Consumer;

/**
 * An embedded Kubernetes API, fabric8's mock server in CRUD mode (with RFC 7386 merge patches, see
 * {@link RfcCrudDispatcher}), with the real operator running against it: the sandbox's cluster and
 * the tests'. On top of the mock, it serves what kubectl needs: API discovery, the scale
 * subresource, the CRD's printer columns as Tables ({@code kubectl get}), its schema as OpenAPI v3
 * ({@code kubectl explain}, and {@code kubectl apply}'s server-side field validation), watches over
 * plain HTTP ({@code kubectl get -w}, {@code kubectl wait}; {@link WatchingWebServer}); and it
 * admits ScalableApps as the API server does, with the CRD's schema and CEL rules ({@link
 * CrdValidator}).
 */
public final class EmbeddedCluster implements AutoCloseable {
  public static final ScalableAppReconciler.Timing FAST =
      new ScalableAppReconciler.Timing(
          Duration.ofMillis(200), Duration.ofMillis(300), Duration.ofSeconds(2));

  private final KubernetesMockServer server;
  private final KubernetesClient client;
  private Operator operator;

  /** On a free port of 127.0.0.1. */
  public EmbeddedCluster() {
    this(0, Clock.systemUTC(), true);
  }

  /**
   * On {@code port} of 127.0.0.1 (0: any free port), showing ages ({@code kubectl get}'s AGE, an
   * event's LAST SEEN) as of {@code clock}: the sandbox's simulated time, in which its operator
   * stamps events.
   */
  public EmbeddedCluster(int port, Clock clock) {
    this(port, clock, true);
  }

  /**
   * As if the CRD had been installed without its schema's rules (an older copy, or {@code kubectl
   * apply} of a hand-edited one): the API stores any ScalableApp, so tests can show what the
   * operator's own checks do with one the API server would have refused.
   */
  public static EmbeddedCluster withoutCrdValidation() {
    return new EmbeddedCluster(0, Clock.systemUTC(), false);
  }

  @SuppressWarnings("deprecation") // the mapper the stock mock server uses
  private EmbeddedCluster(int port, Clock clock, boolean validating) {
    Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
    var dispatcher =
        new RfcCrudDispatcher(
                responses,
                List.of(
                    new CustomResourceDefinitionContext.Builder()
                        .withGroup(CRD.at("/spec/group").asText())
                        .withVersion(CRD.at("/spec/versions/0/name").asText())
                        .withKind(CRD.at("/spec/names/kind").asText())
                        .withPlural(CRD.at("/spec/names/plural").asText())
                        .withScope(CRD.at("/spec/scope").asText())
                        .withStatusSubresource(
                            CRD.at("/spec/versions/0/subresources").has("status"))
                        .build()))
            .withScale(RfcCrudDispatcher.ScaleSubresource.fromCrd(CRD))
            .withTable(TableView.fromCrd(CRD))
            .withTable(TableView.events())
            .withClock(clock);
    if (validating) {
      dispatcher.withValidation(CrdValidator.of(CRD));
    }
    server =
        new KubernetesMockServer(
            new Context(Serialization.jsonMapper()),
            new WatchingWebServer(),
            responses,
            dispatcher,
            false);
    try {
      server.init(java.net.InetAddress.getByName("127.0.0.1"), port);
    } catch (java.net.UnknownHostException e) {
      throw new IllegalStateException(e);
    }
    client = server.createClient();
    serveDiscovery();
    serveOpenApi();
  }

  private static final String OPENAPI_GROUP_VERSION =
      "/openapi/v3/apis/" + ScalableApp.GROUP + "/" + ScalableApp.VERSION;

  /**
   * OpenAPI v3 for the ScalableApp kind, from the generated CRD's schema, as an API server
   * publishes a CRD's: {@code kubectl explain sapp} reads it.
   */
  private void serveOpenApi() {
    var json = new com.fasterxml.jackson.databind.ObjectMapper();
    try {
      var schema =
          (com.fasterxml.jackson.databind.node.ObjectNode)
              CRD.at("/spec/versions/0/schema/openAPIV3Schema").deepCopy();
      var gvk = schema.putArray("x-kubernetes-group-version-kind").addObject();
      gvk.put("group", ScalableApp.GROUP);
      gvk.put("kind", "ScalableApp");
      gvk.put("version", ScalableApp.VERSION);
      var doc = json.createObjectNode();
      doc.put("openapi", "3.0.0");
      doc.putObject("info").put("title", "Kubernetes").put("version", "unversioned");
      var item =
          doc.putObject("paths")
              .putObject(
                  "/apis/"
                      + ScalableApp.GROUP
                      + "/"
                      + ScalableApp.VERSION
                      + "/namespaces/{namespace}/scalableapps/{name}");
      // kubectl explain finds a resource's schema through the path that GETs it.
      var get = item.putObject("get");
      gvkExtension(get);
      get.put("x-kubernetes-action", "get");
      // kubectl apply validates on the server (fieldValidation=Strict, no client-side check that
      // would need OpenAPI v2) once the kind's PATCH declares the parameter, as an API server's do.
      var patch = item.putObject("patch");
      gvkExtension(patch);
      patch.put("x-kubernetes-action", "patch");
      patch
          .putArray("parameters")
          .addObject()
          .put("name", "fieldValidation")
          .put("in", "query")
          .put(
              "description",
              "Ignore, Warn or Strict: what the server does with unknown or duplicate fields")
          .putObject("schema")
          .put("type", "string")
          .put("uniqueItems", true);
      patch.putObject("responses").putObject("200").put("description", "OK");
      get.putObject("responses")
          .putObject("200")
          .putObject("content")
          .putObject("application/json")
          .putObject("schema")
          .put(
              "$ref",
              "#/components/schemas/io.scalableapp." + ScalableApp.VERSION + ".ScalableApp");
      doc.putObject("components")
          .putObject("schemas")
          .set("io.scalableapp." + ScalableApp.VERSION + ".ScalableApp", schema);
      String url = OPENAPI_GROUP_VERSION + "?hash=" + Integer.toHexString(doc.hashCode());
      var root = json.createObjectNode();
      root.putObject("paths")
          .putObject("apis/" + ScalableApp.GROUP + "/" + ScalableApp.VERSION)
          .put("serverRelativeURL", url);
      discovery("/openapi/v3", json.writeValueAsString(root));
      // The URL has its query already: kubectl adds its timeout with "&".
      String body = json.writeValueAsString(doc);
      for (String p : new String[] {url, url + "&timeout=32s"}) {
        server.expect().get().withPath(p).andReturn(200, body).always();
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static void gvkExtension(com.fasterxml.jackson.databind.node.ObjectNode operation) {
    operation
        .putObject("x-kubernetes-group-version-kind")
        .put("group", ScalableApp.GROUP)
        .put("kind", "ScalableApp")
        .put("version", ScalableApp.VERSION);
  }

  /** The ScalableApp CRD the build generated (on the classpath), as the API serves it. */
  public static final com.fasterxml.jackson.databind.JsonNode CRD = generatedCrd();

  private static com.fasterxml.jackson.databind.JsonNode generatedCrd() {
    try (var crd =
        EmbeddedCluster.class.getResourceAsStream(
            "/META-INF/fabric8/scalableapps.scalableapp.io-v1.yml")) {
      if (crd == null) {
        throw new IllegalStateException("the generated CRD is not on the classpath");
      }
      return new com.fasterxml.jackson.databind.ObjectMapper(
              new com.fasterxml.jackson.dataformat.yaml.YAMLFactory())
          .readTree(crd);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /**
   * API discovery for kubectl (the mock serves none): the core group and scalableapp.io with its
   * resource, short name and subresources, so that {@code kubectl get sapp} finds the kind.
   */
  private void discovery(String path, String json) {
    // kubectl asks with ?timeout=32s; recorded expectations match the whole path.
    for (String p : new String[] {path, path + "?timeout=32s"}) {
      server.expect().get().withPath(p).andReturn(200, json).always();
    }
  }

  private void serveDiscovery() {
    discovery(
        "/api",
        """
        {"kind":"APIVersions","versions":["v1"],"serverAddressByClientCIDRs":[]}\
        """);
    discovery(
        "/apis",
        """
        {"kind":"APIGroupList","apiVersion":"v1","groups":[{"name":"scalableapp.io",
         "versions":[{"groupVersion":"scalableapp.io/v1alpha1","version":"v1alpha1"}],
         "preferredVersion":{"groupVersion":"scalableapp.io/v1alpha1","version":"v1alpha1"}}]}\
        """);
    discovery(
        "/api/v1",
        """
        {"kind":"APIResourceList","groupVersion":"v1","resources":[
         {"name":"events","singularName":"event","namespaced":true,"kind":"Event","shortNames":["ev"],
          "verbs":["create","delete","get","list","patch","update","watch"]},
         {"name":"namespaces","singularName":"namespace","namespaced":false,"kind":"Namespace",
          "shortNames":["ns"],"verbs":["get","list"]}]}\
        """);
    discovery(
        "/apis/scalableapp.io/v1alpha1",
        """
        {"kind":"APIResourceList","apiVersion":"v1","groupVersion":"scalableapp.io/v1alpha1","resources":[
         {"name":"scalableapps","singularName":"scalableapp","namespaced":true,"kind":"ScalableApp",
          "shortNames":["sapp"],"categories":["all","aws"],
          "verbs":["create","delete","get","list","patch","update","watch"]},
         {"name":"scalableapps/status","singularName":"","namespaced":true,"kind":"ScalableApp",
          "verbs":["get","patch","update"]},
         {"name":"scalableapps/scale","singularName":"","namespaced":true,"group":"autoscaling",
          "version":"v1","kind":"Scale","verbs":["get","patch","update"]}]}\
        """);
  }

  /** The API's URL, e.g. http://127.0.0.1:PORT. */
  public String url() {
    return client.getConfiguration().getMasterUrl();
  }

  public KubernetesClient client() {
    return client;
  }

  public void startOperator(CloudProvider clouds, Clock clock) {
    startOperator(clouds, clock, FAST, Duration.ofSeconds(2));
  }

  public void startOperator(
      CloudProvider clouds, Clock clock, ScalableAppReconciler.Timing timing, Duration resync) {
    operator =
        OperatorRuntime.create(
            client,
            new OperatorConfig(Set.of(), resync, 0),
            clouds,
            new SimpleMeterRegistry(),
            clock,
            timing);
    operator.start();
  }

  public void stopOperator() {
    if (operator != null) {
      operator.stop();
      operator = null;
    }
  }

  public ScalableApp apply(ScalableApp app) {
    return client
        .resources(ScalableApp.class)
        .inNamespace(app.getMetadata().getNamespace())
        .resource(app)
        .create();
  }

  public ScalableApp get(String namespace, String name) {
    return client.resources(ScalableApp.class).inNamespace(namespace).withName(name).get();
  }

  /**
   * Changes the app as a user would with kubectl: read, change, write with the read's
   * resourceVersion, and on a conflict (the operator wrote status in between) read again.
   */
  public void edit(String namespace, String name, Consumer<ScalableApp> change) {
    for (int attempt = 1; ; attempt++) {
      try {
        client
            .resources(ScalableApp.class)
            .inNamespace(namespace)
            .withName(name)
            .edit(
                a -> {
                  change.accept(a);
                  return a;
                });
        return;
      } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
        if (e.getCode() != 409 || attempt >= 10) {
          throw e;
        }
      }
    }
  }

  @Override
  public void close() {
    stopOperator();
    client.close();
    server.destroy();
  }
}
