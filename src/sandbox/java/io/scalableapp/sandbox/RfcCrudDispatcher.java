package io.scalableapp.sandbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.server.mock.crud.KubernetesCrudDispatcherException;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.internal.MockDispatcher;
import io.fabric8.mockwebserver.internal.SimpleRequest;
import java.net.HttpURLConnection;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;

/**
 * A fabric8 {@link KubernetesCrudDispatcher} (kubernetes-server-mock 7.5.2) that behaves like a
 * real API server in the places where the stock CRUD mock does not, so operator tests do not pass
 * against the mock and fail against a cluster (or the other way round).
 *
 * <p>Contract, on top of everything the stock dispatcher does:
 *
 * <ul>
 *   <li><b>JSON merge patch follows RFC 7386.</b> For {@code PATCH} with {@code Content-Type:
 *       application/merge-patch+json}, objects merge recursively, a {@code null} value removes the
 *       key, and any other value (arrays included) <em>replaces</em> the stored value. The stock
 *       mock appends arrays, so {@code status.conditions} pile up and {@code metadata.finalizers:
 *       []} removes nothing; it also stores {@code null}s instead of removing keys. The merged
 *       object is stored through the dispatcher's own PUT handling, so a {@code
 *       metadata.resourceVersion} in the patch is a precondition (409 on mismatch), and
 *       resourceVersion, generation, status-subresource and finalizer/deletion handling are exactly
 *       the mock's PUT semantics. The response is {@code 200} with the stored object, as from a
 *       real API server (the stock mock answers PATCH with {@code 202}).
 *   <li><b>Query parameters do not hide the status subresource.</b> The stock mock decides "is this
 *       {@code .../status}?" on the raw request path, so {@code .../status?fieldManager=x} was
 *       handled as a write to the main resource. Here the query string of a PATCH or PUT is dropped
 *       before the stock handlers see it (they ignore query parameters otherwise; {@code dryRun}
 *       was never honoured by the mock either).
 *   <li><b>Writes to {@code .../status} change only {@code .status}.</b> Everything else in the
 *       body (spec, labels, finalizers, ...) is ignored, as the API server does for the status
 *       subresource; resourceVersion is bumped if the status changed and generation never moves. A
 *       {@code metadata.resourceVersion} in a status PUT or merge patch must match the stored one
 *       (409 otherwise), as on a real API server (the stock mock skips that check for status PUT).
 *   <li><b>Writes to the main resource do not change {@code .status}</b> when the resource has the
 *       status subresource enabled. This is the stock mock's rule and it only knows about custom
 *       resources it was told about: pass a {@link CustomResourceDefinitionContext} built with
 *       {@code withStatusSubresource(true)} to the constructor, call {@link
 *       KubernetesMockServer#expectCustomResource}, or create the CRD object in the mock server.
 *       Note that {@code CustomResourceDefinitionContext.fromCustomResourceType(...)} leaves the
 *       flag off, so build the context explicitly. Built-in kinds (Deployment, Pod, ...) are not
 *       treated as having a status subresource.
 *   <li><b>Generation</b> is the mock's: {@code 1} on create, {@code +1} when anything outside
 *       {@code metadata} and {@code status} changes, unchanged for metadata-only or status-only
 *       changes and for no-op writes (which also keep the resourceVersion).
 *   <li><b>Recorded expectations still win.</b> When built with the server's {@code responses} map
 *       (as {@link #newServer} does), a request that matches an expectation recorded with {@code
 *       server.expect()} is answered from it, like the stock {@code KubernetesMixedDispatcher};
 *       this also keeps the {@code /version} expectation that {@link KubernetesMockServer} records
 *       on start working.
 *   <li><b>JSON patch follows RFC 6902</b> ({@code application/json-patch+json}, what JOSDK sends
 *       for a status patch without server-side apply: a diff against the object the reconciler was
 *       given). It is applied to the stored object and stored like a merge patch; an operation that
 *       cannot apply (a {@code remove} or {@code move} of a member the stored object lacks, after a
 *       write the reconciler had not seen) is refused with 422, as the API server refuses it. The
 *       stock mock threw inside its request handler instead, and never answered.
 *   <li><b>Writes are admitted with the CRD's schema and rules</b> for resources registered with
 *       {@link #withValidation}: create, update, both patches, status and scale (422 Invalid with
 *       the API server's causes; unknown fields per {@code fieldValidation}).
 *   <li><b>Watches over plain HTTP</b> ({@link #httpWatch}, served by {@link WatchingWebServer},
 *       which {@link #newServer} uses): the stock mock watches only over WebSockets.
 * </ul>
 *
 * <p>Unchanged: strategic merge patch and server-side apply are still rejected with 415 by the
 * mock, and setting {@code deletionTimestamp} does not bump generation (a real API server does).
 *
 * <p>Usage (plain HTTP, CRUD plus expectations):
 *
 * <pre>{@code
 * CustomResourceDefinitionContext scalableApps =
 *     new CustomResourceDefinitionContext.Builder()
 *         .withGroup("scalableapp.io")
 *         .withVersion("v1alpha1")
 *         .withKind("ScalableApp")
 *         .withPlural("scalableapps")
 *         .withScope("Namespaced")
 *         .withStatusSubresource(true)
 *         .build();
 * KubernetesMockServer server = RfcCrudDispatcher.newServer(scalableApps);
 * server.init(); // starts it; server.destroy() stops it
 * NamespacedKubernetesClient client = server.createClient(); // namespace "test"
 * }</pre>
 *
 * <p>which is shorthand for:
 *
 * <pre>{@code
 * Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
 * KubernetesMockServer server =
 *     new KubernetesMockServer(
 *         new Context(Serialization.jsonMapper()),
 *         new WatchingWebServer(),
 *         responses,
 *         new RfcCrudDispatcher(responses, List.of(scalableApps)),
 *         false); // true for HTTPS
 * }</pre>
 */
public class RfcCrudDispatcher extends KubernetesCrudDispatcher {

  private static final String CONTENT_TYPE = "Content-Type";
  private static final String MERGE_PATCH_MEDIA_TYPE = "application/merge-patch+json";
  private static final String JSON_PATCH_MEDIA_TYPE = "application/json-patch+json";
  private static final String METADATA = "metadata";
  private static final String RESOURCE_VERSION = "resourceVersion";
  private static final String STATUS = "status";
  private static final ObjectMapper TREE_MAPPER = new ObjectMapper();

  private final Map<ServerRequest, Queue<ServerResponse>> responses;
  private final Map<String, CustomResourceDefinitionContext> crdContexts = new HashMap<>();
  private final MockDispatcher expectations;

  /**
   * Serialises every write. The stock dispatcher's own lock is private, and the merge patch here is
   * a read followed by a write through the stock PUT handler: without this lock a concurrent write
   * in between would be lost or turn into a spurious 409. Always taken before the stock lock, so
   * the two cannot deadlock.
   */
  private final Object writeLock = new Object();

  /** A pure CRUD dispatcher (no recorded expectations) that knows no custom resources. */
  public RfcCrudDispatcher() {
    this(Collections.emptyList());
  }

  /**
   * A pure CRUD dispatcher (no recorded expectations).
   *
   * @param crdContexts custom resources to know up front; the status subresource flag decides
   *     whether main-resource writes may change {@code .status}
   */
  public RfcCrudDispatcher(List<CustomResourceDefinitionContext> crdContexts) {
    this(new HashMap<>(), crdContexts);
  }

  /**
   * A CRUD dispatcher that first answers requests matching expectations recorded in {@code
   * responses}.
   *
   * @param responses the same map that is passed to the {@link KubernetesMockServer} constructor
   * @param crdContexts custom resources to know up front; the status subresource flag decides
   *     whether main-resource writes may change {@code .status}
   */
  public RfcCrudDispatcher(
      Map<ServerRequest, Queue<ServerResponse>> responses,
      List<CustomResourceDefinitionContext> crdContexts) {
    super(crdContexts);
    crdContexts.forEach(c -> this.crdContexts.put(c.getPlural(), c));
    this.responses = Objects.requireNonNull(responses);
    this.expectations = new MockDispatcher(responses);
  }

  /**
   * Builds an HTTP (not HTTPS) {@link KubernetesMockServer} backed by a new dispatcher of this
   * class that shares the server's expectations. Start it with {@code init()}.
   *
   * @param crdContexts custom resources to know up front
   * @return the server, not yet started
   */
  @SuppressWarnings("deprecation") // same mapper the stock mock server and dispatcher use
  public static KubernetesMockServer newServer(CustomResourceDefinitionContext... crdContexts) {
    Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
    return new KubernetesMockServer(
        new Context(Serialization.jsonMapper()),
        new WatchingWebServer(),
        responses,
        new RfcCrudDispatcher(responses, List.of(crdContexts)),
        false);
  }

  private volatile java.time.Clock clock = java.time.Clock.systemUTC();

  /** The clock of the tables' ages (AGE, LAST SEEN); the system's by default. */
  public RfcCrudDispatcher withClock(java.time.Clock clock) {
    this.clock = clock;
    return this;
  }

  /**
   * A custom resource's scale subresource, as its CRD declares it.
   *
   * @param plural the resource's plural name
   * @param specReplicasPath e.g. {@code .spec.capacity.desired}
   * @param statusReplicasPath e.g. {@code .status.replicas}
   */
  public record ScaleSubresource(
      String plural, String specReplicasPath, String statusReplicasPath) {
    /** The scale subresource a CRD declares for its first version. */
    public static ScaleSubresource fromCrd(JsonNode crd) {
      JsonNode scale = crd.at("/spec/versions/0/subresources/scale");
      return new ScaleSubresource(
          crd.at("/spec/names/plural").asText(),
          scale.path("specReplicasPath").asText(),
          scale.path("statusReplicasPath").asText());
    }

    String specPointer() {
      return specReplicasPath.replace('.', '/');
    }

    String statusPointer() {
      return statusReplicasPath.replace('.', '/');
    }
  }

  private final List<ScaleSubresource> scales = new java.util.concurrent.CopyOnWriteArrayList<>();

  /**
   * Serves {@code .../PLURAL/NAME/scale} like an API server does for a CRD with a scale subresource
   * (the stock mock has none): GET answers an autoscaling/v1 Scale; PUT and merge PATCH write
   * {@code spec.replicas} to the declared spec path.
   */
  public RfcCrudDispatcher withScale(ScaleSubresource scale) {
    scales.add(scale);
    return this;
  }

  private java.util.Optional<MockResponse> scale(RecordedRequest request) {
    String path = withoutQuery(request.getPath());
    if (!path.endsWith("/scale")) {
      return java.util.Optional.empty();
    }
    String objectPath = path.substring(0, path.length() - "/scale".length());
    String[] segments = objectPath.split("/");
    if (segments.length < 2) {
      return java.util.Optional.empty();
    }
    String plural = segments[segments.length - 2];
    return scales.stream()
        .filter(sc -> sc.plural().equals(plural))
        .findFirst()
        .map(sc -> serveScale(request, objectPath, sc));
  }

  private MockResponse serveScale(RecordedRequest request, String objectPath, ScaleSubresource sc) {
    synchronized (writeLock) {
      MockResponse current = super.handleGet(objectPath);
      if (current.code() != HttpURLConnection.HTTP_OK) {
        return current;
      }
      try {
        JsonNode stored = parse(current);
        String method = request.getMethod();
        if (method.equals("PUT") || method.equals("PATCH")) {
          JsonNode replicas = parse(request.getUtf8Body()).path("spec").path("replicas");
          if (!replicas.canConvertToInt()) {
            throw new KubernetesCrudDispatcherException(
                "spec.replicas must be an integer", 422 /* Unprocessable Entity */);
          }
          ObjectNode updated = stored.deepCopy();
          String[] keys = sc.specPointer().substring(1).split("/");
          ObjectNode parent = updated;
          for (int i = 0; i < keys.length - 1; i++) {
            parent =
                parent.has(keys[i]) && parent.get(keys[i]).isObject()
                    ? (ObjectNode) parent.get(keys[i])
                    : parent.putObject(keys[i]);
          }
          parent.put(keys[keys.length - 1], replicas.asInt());
          MockResponse written = store(request, objectPath, stored, updated);
          if (written.code() != HttpURLConnection.HTTP_OK) {
            return written;
          }
          stored = parse(written);
        } else if (!method.equals("GET")) {
          throw new KubernetesCrudDispatcherException(
              method + " is not allowed on scale", HttpURLConnection.HTTP_BAD_METHOD);
        }
        ObjectNode scale = JsonNodeFactory.instance.objectNode();
        scale.put("apiVersion", "autoscaling/v1");
        scale.put("kind", "Scale");
        ObjectNode meta = scale.putObject(METADATA);
        for (String field :
            List.of("name", "namespace", "uid", RESOURCE_VERSION, "creationTimestamp")) {
          if (stored.path(METADATA).has(field)) {
            meta.set(field, stored.path(METADATA).get(field));
          }
        }
        scale.putObject("spec").put("replicas", stored.at(sc.specPointer()).asInt(0));
        scale.putObject("status").put("replicas", stored.at(sc.statusPointer()).asInt(0));
        return new MockResponse().setResponseCode(HttpURLConnection.HTTP_OK).setBody(toJson(scale));
      } catch (KubernetesCrudDispatcherException e) {
        return error(e);
      }
    }
  }

  private final Map<String, CrdValidator> validators =
      new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * Admits writes of this custom resource as the API server does (the stock mock stores anything):
   * on create, update, patch and the status and scale subresources, the object that would be stored
   * is checked against the CRD's schema and CEL rules (transition rules against the stored object),
   * and refused with 422 {@code Invalid} and the API server's field errors; fields the schema does
   * not declare are pruned, with a {@code Warning} header by default, silently with {@code
   * fieldValidation=Ignore}, or refused with 400 under {@code fieldValidation=Strict} (what kubectl
   * sends).
   */
  public RfcCrudDispatcher withValidation(CrdValidator validator) {
    validators.put(validator.plural(), validator);
    return this;
  }

  /** The validator of the resource a path names ({@code /apis/G/V/[namespaces/NS/]PLURAL/...}). */
  private CrdValidator validatorFor(String path) {
    String[] segments = withoutQuery(path).split("/");
    // "", "apis", group, version, then the plural or "namespaces", NS, plural.
    if (validators.isEmpty() || segments.length < 5 || !segments[1].equals("apis")) {
      return null;
    }
    String plural =
        segments[4].equals("namespaces") && segments.length > 6 ? segments[6] : segments[4];
    return validators.get(plural);
  }

  private final List<TableView> tables = new java.util.concurrent.CopyOnWriteArrayList<>();

  /**
   * Serves GET and LIST of this resource as a Table when asked for one, as the API server does for
   * {@code kubectl get} (the stock mock serves JSON only, so kubectl showed no columns).
   */
  public RfcCrudDispatcher withTable(TableView table) {
    tables.add(table);
    return this;
  }

  private java.util.Optional<TableView> tableFor(RecordedRequest request) {
    if (!"GET".equals(request.getMethod())
        || !TableView.wanted(request.getHeader("Accept"))
        || isWatch(request.getPath())) {
      return java.util.Optional.empty();
    }
    String[] segments = withoutQuery(request.getPath()).split("/");
    return tables.stream()
        .filter(
            t ->
                segments.length >= 1 && segments[segments.length - 1].equals(t.plural())
                    || segments.length >= 2 && segments[segments.length - 2].equals(t.plural()))
        .findFirst();
  }

  /** The table of this resource, if the request asks for one (kubectl get does). */
  private java.util.Optional<TableView> tableFor(RecordedRequest request, String plural) {
    return TableView.wanted(request.getHeader("Accept"))
        ? tables.stream().filter(t -> t.plural().equals(plural)).findFirst()
        : java.util.Optional.empty();
  }

  /** apiVersion and kind of a custom resource this dispatcher knows, by its plural. */
  private java.util.Optional<ObjectNode> typeMeta(String plural) {
    return java.util.Optional.ofNullable(crdContexts.get(plural))
        .map(
            crd ->
                JsonNodeFactory.instance
                    .objectNode()
                    .put("apiVersion", crd.getGroup() + "/" + crd.getVersion())
                    .put("kind", crd.getKind()));
  }

  /**
   * A watch over plain HTTP ({@code kubectl get -w}, {@code kubectl wait}; see {@link
   * WatchingWebServer}), to run on the listener the stock dispatcher registered for it.
   */
  public HttpWatch httpWatch(RecordedRequest request) {
    String path = request.getPath();
    String plural = pluralOf(path);
    // The same selection as a list: the path without its watch parameter.
    String listPath = withoutParameter(path, "watch");
    return new HttpWatch(
        queryParameter(path, "resourceVersion"),
        "true".equals(queryParameter(path, "sendInitialEvents")),
        typeMeta(plural).orElseGet(JsonNodeFactory.instance::objectNode),
        () -> list(listPath),
        tableFor(request, plural),
        clock);
  }

  private JsonNode list(String path) {
    try {
      return parse(handleGet(path));
    } catch (KubernetesCrudDispatcherException e) {
      return JsonNodeFactory.instance.objectNode();
    }
  }

  /**
   * GET, with lists as the API server answers them: typed ({@code EventList}), and with field
   * selectors applied ({@code involvedObject.name=web,involvedObject.kind=ScalableApp} for {@code
   * kubectl describe}'s events, {@code metadata.name=web} for {@code kubectl wait}), which the
   * stock mock matches only in part. Requirements are {@code field=value}, {@code field==value} or
   * {@code field!=value}, joined by commas. Watches are the stock dispatcher's.
   */
  @Override
  public MockResponse handleGet(String path) {
    if (isWatch(path)) {
      return super.handleGet(path);
    }
    String selector = queryParameter(path, "fieldSelector");
    MockResponse answer = super.handleGet(withoutParameter(path, "fieldSelector"));
    try {
      JsonNode list = answer.code() == HttpURLConnection.HTTP_OK ? parse(answer) : null;
      if (list == null || !list.has("items")) {
        return answer;
      }
      ObjectNode typed = (ObjectNode) list;
      JsonNode all = typed.get("items");
      var items = typed.putArray("items");
      all.forEach(
          i -> {
            if (selector == null || selects(selector, i)) {
              items.add(i);
            }
          });
      // A typed list (EventList, ScalableAppList), as the API server answers, not the mock's
      // "List": clients that decode into the typed list (kubectl describe's events) need it.
      JsonNode type =
          all.path(0).hasNonNull("kind") ? all.get(0) : typeMeta(pluralOf(path)).orElse(null);
      if (type != null) {
        typed.put("kind", type.get("kind").asText() + "List");
        typed.set("apiVersion", type.get("apiVersion"));
      }
      return new MockResponse().setResponseCode(HttpURLConnection.HTTP_OK).setBody(toJson(typed));
    } catch (KubernetesCrudDispatcherException e) {
      return error(e);
    }
  }

  private static boolean selects(String selector, JsonNode object) {
    for (String requirement : selector.split(",")) {
      boolean negated = requirement.contains("!=");
      String[] kv = requirement.split(negated ? "!=" : "==?", 2);
      if (kv.length < 2) {
        continue;
      }
      JsonNode value = object.at("/" + kv[0].trim().replace('.', '/'));
      boolean equal = value.isValueNode() && value.asText().equals(kv[1].trim());
      if (equal == negated) {
        return false;
      }
    }
    return true;
  }

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    var scaled = scale(request);
    if (scaled.isPresent()) {
      return scaled.get();
    }
    var table = tableFor(request);
    if (table.isPresent()) {
      MockResponse plain = super.dispatch(request);
      if (plain.code() != HttpURLConnection.HTTP_OK) {
        return plain;
      }
      try {
        return new MockResponse()
            .setResponseCode(HttpURLConnection.HTTP_OK)
            .setHeader(CONTENT_TYPE, "application/json")
            .setBody(toJson(table.get().table(parse(plain), clock.instant())));
      } catch (KubernetesCrudDispatcherException e) {
        return error(e);
      }
    }
    // Same precedence as the stock KubernetesMixedDispatcher: expectations first, then CRUD.
    Queue<ServerResponse> queue =
        responses.get(new SimpleRequest(request.method(), request.getPath()));
    if (queue != null && !queue.isEmpty()) {
      return expectations.dispatch(request);
    }
    return super.dispatch(request);
  }

  @Override
  public MockResponse handleCreate(RecordedRequest request) {
    synchronized (writeLock) {
      CrdValidator validator = validatorFor(request.getPath());
      if (validator == null) {
        return super.handleCreate(request);
      }
      try {
        JsonNode body = parse(request.getUtf8Body());
        if (body.isObject()
            && isStatusSubresourceEnabledForResource(withoutQuery(request.getPath()))) {
          // Status is not set on a create, so not checked either: the API server drops it first.
          ((ObjectNode) body).remove(STATUS);
        }
        CrdAdmission.Admitted admitted = CrdAdmission.admit(validator, request, body, null);
        return admitted.warn(
            super.handleCreate(
                rewrite(
                    request, request.getPath(), "application/json", toJson(admitted.object()))));
      } catch (KubernetesCrudDispatcherException e) {
        return error(e);
      }
    }
  }

  @Override
  public MockResponse handleDelete(String path) {
    synchronized (writeLock) {
      return super.handleDelete(path);
    }
  }

  @Override
  public void reset() {
    synchronized (writeLock) {
      super.reset();
    }
  }

  /**
   * Handles PUT. Query parameters are dropped so that {@code .../status?fieldManager=x} is still
   * the status subresource, and a status PUT only replaces {@code .status} (see class Javadoc).
   */
  @Override
  public MockResponse handleUpdate(RecordedRequest request) {
    synchronized (writeLock) {
      String path = withoutQuery(request.getPath());
      String body = request.getUtf8Body();
      CrdValidator validator = validatorFor(path);
      if (!isStatusPath(path) && validator == null) {
        return super.handleUpdate(rewrite(request, path, request.getHeader(CONTENT_TYPE), body));
      }
      MockResponse current = super.handleGet(path);
      if (current.code() != HttpURLConnection.HTTP_OK) {
        return isStatusPath(path)
            ? current
            : super.handleUpdate(rewrite(request, path, request.getHeader(CONTENT_TYPE), body));
      }
      try {
        if (!isStatusPath(path)) {
          return store(request, path, parse(current), parse(body));
        }
        return replaceStatus(request, path, parse(current), parse(body));
      } catch (KubernetesCrudDispatcherException e) {
        return error(e);
      }
    }
  }

  /**
   * Handles PATCH. Query parameters are dropped (see class Javadoc); JSON merge patches are applied
   * per RFC 7386 here and stored as a PUT; every other patch type goes to the stock handler.
   */
  @Override
  public MockResponse handlePatch(RecordedRequest request) {
    synchronized (writeLock) {
      String path = withoutQuery(request.getPath());
      String contentType = request.getHeader(CONTENT_TYPE);
      String body = request.getUtf8Body();
      boolean jsonPatch = isMediaType(contentType, JSON_PATCH_MEDIA_TYPE);
      if (!jsonPatch && !isMediaType(contentType, MERGE_PATCH_MEDIA_TYPE)) {
        return super.handlePatch(rewrite(request, path, contentType, body));
      }
      MockResponse current = super.handleGet(path);
      if (current.code() != HttpURLConnection.HTTP_OK) {
        return current;
      }
      try {
        JsonNode stored = parse(current);
        JsonNode patch = parse(body);
        if (jsonPatch) {
          JsonNode patched = jsonPatch(stored, patch);
          return isStatusPath(path)
              ? replaceStatus(request, path, stored, patched)
              : store(request, path, stored, patched);
        }
        if (!patch.isObject()) {
          throw new KubernetesCrudDispatcherException(
              "a merge patch for a Kubernetes object must be a JSON object",
              HttpURLConnection.HTTP_BAD_REQUEST);
        }
        JsonNode merged = mergePatch(stored, patch);
        if (isStatusPath(path)) {
          return replaceStatus(request, path, stored, merged);
        }
        // The merged object still carries the stored resourceVersion unless the patch set one,
        // so the PUT handler's optimistic-concurrency check only fires for a stale precondition.
        return store(request, path, stored, merged);
      } catch (KubernetesCrudDispatcherException e) {
        return error(e);
      }
    }
  }

  /**
   * Applies a JSON merge patch as defined by RFC 7386: if {@code patch} is an object, each of its
   * members is merged recursively into {@code target} (a non-object target is treated as {@code
   * {}}), and a {@code null} member removes that key; any other patch (array, scalar, {@code null})
   * replaces the target wholesale. Neither argument is modified.
   *
   * @param target the document to patch; may be {@code null} (absent)
   * @param patch the merge patch
   * @return a new document
   */
  public static JsonNode mergePatch(JsonNode target, JsonNode patch) {
    return mergeInPlace(target == null ? null : target.deepCopy(), patch);
  }

  private static JsonNode mergeInPlace(JsonNode target, JsonNode patch) {
    if (patch == null || !patch.isObject()) {
      return patch == null ? JsonNodeFactory.instance.nullNode() : patch.deepCopy();
    }
    ObjectNode result =
        target != null && target.isObject()
            ? (ObjectNode) target
            : JsonNodeFactory.instance.objectNode();
    for (Map.Entry<String, JsonNode> member : patch.properties()) {
      if (member.getValue().isNull()) {
        result.remove(member.getKey());
      } else {
        result.set(member.getKey(), mergeInPlace(result.get(member.getKey()), member.getValue()));
      }
    }
    return result;
  }

  /**
   * Stores {@code requested.status} as the new status of {@code stored}, honouring a
   * resourceVersion precondition in {@code requested}. Caller holds {@link #writeLock}.
   */
  private MockResponse replaceStatus(
      RecordedRequest request, String path, JsonNode stored, JsonNode requested) {
    if (stale(stored, requested)) {
      // Same message and code as the stock handler's main-resource check.
      String kind = stored.path("kind").asText();
      return error(
          new KubernetesCrudDispatcherException(
              String.format(
                  "Operation cannot be fulfilled on %s \"%s\": the object has been modified; "
                      + "please apply your changes to the latest version and try again",
                  kind, stored.path(METADATA).path("name").asText()),
              HttpURLConnection.HTTP_CONFLICT,
              kind));
    }
    // Hand the stock status handler the stored object with only the status swapped: it ignores
    // everything but .status anyway, except that it would act on deletionTimestamp/finalizers
    // taken from the body (e.g. delete a terminating object), which the API server never does on
    // the status subresource.
    ObjectNode body = stored.deepCopy();
    JsonNode status = requested.get(STATUS);
    if (status == null || status.isNull()) {
      body.remove(STATUS);
    } else {
      body.set(STATUS, status.deepCopy());
    }
    return store(request, path, stored, body);
  }

  /**
   * Stores {@code object} over {@code stored} through the stock PUT handler, admitted first (see
   * {@link #withValidation}) when its resource is validated. Caller holds {@link #writeLock}.
   */
  private MockResponse store(
      RecordedRequest request, String path, JsonNode stored, JsonNode object) {
    CrdValidator validator = validatorFor(path);
    if (validator == null) {
      return super.handleUpdate(rewrite(request, path, "application/json", toJson(object)));
    }
    if (stale(stored, object)) {
      // A stale write is a conflict (409) before it is anything else, as on the API server.
      return super.handleUpdate(rewrite(request, path, "application/json", toJson(object)));
    }
    if (!isStatusPath(path) && isStatusSubresourceEnabledForResource(path)) {
      // The status the stock handler keeps, whatever the body says: the one to validate.
      ObjectNode kept = object.deepCopy();
      kept.remove(STATUS);
      if (stored.has(STATUS)) {
        kept.set(STATUS, stored.get(STATUS));
      }
      object = kept;
    }
    try {
      CrdAdmission.Admitted admitted = CrdAdmission.admit(validator, request, object, stored);
      return admitted.warn(
          super.handleUpdate(
              rewrite(request, path, "application/json", toJson(admitted.object()))));
    } catch (KubernetesCrudDispatcherException e) {
      return error(e);
    }
  }

  /** RFC 6902 on a copy of {@code stored}; 422 (the API server's answer) when an op fails. */
  private static JsonNode jsonPatch(JsonNode stored, JsonNode patch)
      throws KubernetesCrudDispatcherException {
    if (!patch.isArray()) {
      throw new KubernetesCrudDispatcherException(
          "a JSON patch must be an array of operations", HttpURLConnection.HTTP_BAD_REQUEST);
    }
    try {
      return io.fabric8.zjsonpatch.JsonPatch.apply(patch, stored.deepCopy());
    } catch (RuntimeException e) {
      throw new KubernetesCrudDispatcherException(
          "the server rejected our request due to an error in our request: " + e.getMessage(), 422);
    }
  }

  private static boolean isMediaType(String contentType, String expected) {
    if (contentType == null) {
      return false;
    }
    int parameters = contentType.indexOf(';');
    String mediaType = parameters < 0 ? contentType : contentType.substring(0, parameters);
    return mediaType.trim().toLowerCase(Locale.ROOT).equals(expected);
  }

  /** A write whose resourceVersion precondition the stored object no longer meets. */
  private static boolean stale(JsonNode stored, JsonNode requested) {
    String expected = requested.path(METADATA).path(RESOURCE_VERSION).asText("");
    return !expected.isEmpty()
        && !expected.equals(stored.path(METADATA).path(RESOURCE_VERSION).asText(""));
  }

  private static boolean isStatusPath(String pathWithoutQuery) {
    return pathWithoutQuery.endsWith("/" + STATUS);
  }

  private static String withoutQuery(String path) {
    int query = path.indexOf('?');
    return query < 0 ? path : path.substring(0, query);
  }

  /** The last segment of a path, without its query: the resource of a list or watch. */
  private static String pluralOf(String path) {
    String p = withoutQuery(path);
    return p.substring(p.lastIndexOf('/') + 1);
  }

  /** A query parameter of a request path, decoded; null when absent. */
  static String queryParameter(String path, String name) {
    int query = path.indexOf('?');
    if (query < 0) {
      return null;
    }
    for (String pair : path.substring(query + 1).split("&")) {
      int eq = pair.indexOf('=');
      String key = eq < 0 ? pair : pair.substring(0, eq);
      if (URLDecoder.decode(key, StandardCharsets.UTF_8).equals(name)) {
        return eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      }
    }
    return null;
  }

  /** The path without this query parameter (and without the query when it was the only one). */
  private static String withoutParameter(String path, String name) {
    int query = path.indexOf('?');
    if (query < 0) {
      return path;
    }
    String kept =
        java.util.Arrays.stream(path.substring(query + 1).split("&"))
            .filter(pair -> !pair.equals(name) && !pair.startsWith(name + "="))
            .collect(java.util.stream.Collectors.joining("&"));
    return kept.isEmpty() ? path.substring(0, query) : path.substring(0, query + 1) + kept;
  }

  /** Whether a GET is a watch ({@code watch=true} or {@code watch=1}). */
  static boolean isWatch(String path) {
    String watch = queryParameter(path, "watch");
    return "true".equals(watch) || "1".equals(watch);
  }

  /** A copy of {@code request} with a new path and body, as the stock handlers read them. */
  private static RecordedRequest rewrite(
      RecordedRequest request, String path, String contentType, String body) {
    var headers = request.getHeaders().newBuilder();
    if (contentType != null) {
      headers.set(CONTENT_TYPE, contentType);
    }
    return new RecordedRequest(
        request.getHttpVersion(),
        request.method(),
        path,
        headers.build(),
        new Buffer(body == null ? null : body.getBytes(StandardCharsets.UTF_8)));
  }

  private static JsonNode parse(MockResponse response) throws KubernetesCrudDispatcherException {
    return parse(new String(response.getBody().getBytes(), StandardCharsets.UTF_8));
  }

  private static JsonNode parse(String json) throws KubernetesCrudDispatcherException {
    try {
      JsonNode node = json == null ? null : TREE_MAPPER.readTree(json);
      if (node == null || node.isMissingNode()) {
        throw new KubernetesCrudDispatcherException(
            "request body is empty", HttpURLConnection.HTTP_BAD_REQUEST);
      }
      return node;
    } catch (JsonProcessingException e) {
      // 422 like the stock handlers for unparsable bodies.
      throw new KubernetesCrudDispatcherException(e.getOriginalMessage(), 422);
    }
  }

  private static String toJson(JsonNode node) {
    return Serialization.asJson(node);
  }

  private static MockResponse error(KubernetesCrudDispatcherException e) {
    return new MockResponse().setResponseCode(e.getCode()).setBody(e.toStatusBody());
  }
}
