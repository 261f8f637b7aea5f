package io.scalableapp.operator.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An HTTP proxy in front of moto that breaks AWS the ways AWS breaks, below the SDK: the operator's
 * real AWS clients point at {@link #endpoint()} and meet AWS's own error responses (HTTP status and
 * XML body of the Query protocol EC2, ELBv2 and Auto Scaling speak), so the SDK's retries and the
 * adapters' error mapping run as they would against AWS.
 *
 * <ul>
 *   <li>{@link #throttle(double)}: that share of calls is refused with EC2's {@code
 *       RequestLimitExceeded} (HTTP 503) or ELBv2's and Auto Scaling's {@code Throttling} (HTTP
 *       400) and never reaches moto;
 *   <li>{@link #serverErrors(double)}: that share is answered with HTTP 500 {@code InternalError} /
 *       {@code InternalFailure}; half of them after moto did the call (AWS did it but said it did
 *       not, the case that tests idempotency), half before;
 *   <li>{@link #unreachable(boolean)}: nothing listens on the endpoint (connection refused);
 *   <li>{@link #onMutatingCall(int, Runnable)}: runs a hook (a {@code kill -9}) right after moto
 *       did the n-th call that changes something, before the caller hears the answer.
 * </ul>
 */
public final class FaultyAws implements AutoCloseable {
  private static final Pattern ACTION = Pattern.compile("(?:^|&)Action=([A-Za-z0-9]+)");
  private static final Pattern GROUP_NAME = Pattern.compile("(?:^|&)AutoScalingGroupName=([^&]+)");
  private static final Pattern SERVICE = Pattern.compile("Credential=[^/]+/[^/]+/[^/]+/([^/]+)/");
  private static final Pattern REGION = Pattern.compile("Credential=[^/]+/[^/]+/([^/]+)/");
  private static final Set<String> HOP_BY_HOP =
      Set.of("connection", "content-length", "expect", "host", "upgrade", "transfer-encoding");

  private final URI upstream;
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private final ExecutorService workers = Executors.newCachedThreadPool();
  private final Random random;
  private final int port;
  private final List<String> mutating = new ArrayList<>();
  private final List<String> seen = new ArrayList<>();
  private volatile Consumer<Call> listener = call -> {};
  private final Set<String> missingImages = ConcurrentHashMap.newKeySet();
  private final Set<String> missingProfiles = ConcurrentHashMap.newKeySet();
  private final AtomicInteger throttled = new AtomicInteger();
  private final AtomicInteger failed = new AtomicInteger();
  private volatile double throttleShare;
  private volatile double serverErrorShare;
  private volatile int killAt;
  private volatile Runnable killHook;
  private HttpServer server;

  /**
   * @param seed the random faults' seed, so that a failing run can be replayed
   */
  public FaultyAws(URI upstream, long seed) {
    this.upstream = upstream;
    this.random = new Random(seed);
    this.server = bind(0);
    this.port = server.getAddress().getPort();
  }

  /** Where the operator's AWS clients point. */
  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + port);
  }

  public void throttle(double share) {
    throttleShare = share;
  }

  public void serverErrors(double share) {
    serverErrorShare = share;
  }

  /** Takes the endpoint down (connections refused) or brings it back on the same port. */
  public synchronized void unreachable(boolean down) {
    if (down && server != null) {
      server.stop(0);
      server = null;
    } else if (!down && server == null) {
      server = bind(port);
    }
  }

  /** Runs {@code hook} after moto did the n-th (1-based) mutating call from now on. */
  public synchronized void onMutatingCall(int n, Runnable hook) {
    mutating.clear();
    killAt = n;
    killHook = hook;
  }

  /** The mutating calls (Create*, Delete*, ...) moto did since the last {@link #onMutatingCall}. */
  public synchronized List<String> mutatingCalls() {
    return List.copyOf(mutating);
  }

  /** Calls refused as throttled, and answered with a server error, so far. */
  public int throttledCalls() {
    return throttled.get();
  }

  public int failedCalls() {
    return failed.get();
  }

  private HttpServer bind(int onPort) {
    for (int attempt = 0; ; attempt++) {
      try {
        var s =
            HttpServer.create(
                new InetSocketAddress(InetAddress.getByName("127.0.0.1"), onPort), 50);
        s.setExecutor(workers);
        s.createContext("/", this::handle);
        s.start();
        return s;
      } catch (BindException e) {
        if (attempt > 50) {
          throw new UncheckedIOException(e);
        }
        sleep(100);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      byte[] body = ex.getRequestBody().readAllBytes();
      String query = ex.getRequestURI().getRawQuery();
      String action = action(new String(body, StandardCharsets.UTF_8), query);
      String service = service(ex.getRequestHeaders().getFirst("Authorization"));
      double roll;
      boolean before;
      synchronized (random) {
        roll = random.nextDouble();
        before = random.nextBoolean();
      }
      if (roll < throttleShare) {
        throttled.incrementAndGet();
        respond(ex, throttledError(service));
        return;
      }
      boolean serverError = roll < throttleShare + serverErrorShare;
      if (serverError && before) {
        failed.incrementAndGet();
        respond(ex, internalError(service));
        return;
      }
      String form = new String(body, StandardCharsets.UTF_8);
      record(service, action, form);
      if ("CreateAutoScalingGroup".equals(action)) {
        Matcher region = REGION.matcher(ex.getRequestHeaders().getFirst("Authorization"));
        Answer refused = asAwsRefusesAGroup(region.find() ? region.group(1) : Moto.REGION, form);
        if (refused != null) {
          respond(ex, refused);
          return;
        }
      }
      boolean paged = LaunchTemplatePages.applies(action, form);
      HttpResponse<byte[]> answer =
          forward(ex, paged ? LaunchTemplatePages.everything(form) : body);
      boolean did = answer.statusCode() < 300 && isMutating(action);
      if (did) {
        afterMutating(action);
      }
      if (serverError) {
        failed.incrementAndGet();
        respond(ex, internalError(service));
        return;
      }
      ex.getResponseHeaders().clear();
      answer
          .headers()
          .map()
          .forEach(
              (name, values) -> {
                if (!HOP_BY_HOP.contains(name.toLowerCase()) && !name.startsWith(":")) {
                  ex.getResponseHeaders().put(name, values);
                }
              });
      byte[] out =
          paged && answer.statusCode() == 200
              ? LaunchTemplatePages.page(answer.body(), form)
              : answer.body();
      ex.sendResponseHeaders(answer.statusCode(), out.length == 0 ? -1 : out.length);
      if (out.length > 0) {
        ex.getResponseBody().write(out);
      }
    } catch (IOException e) {
      // The caller went away (killed): nothing to answer.
    }
  }

  private void afterMutating(String action) {
    Runnable hook = null;
    synchronized (this) {
      mutating.add(action);
      if (killHook != null && mutating.size() == killAt) {
        hook = killHook;
        killHook = null;
      }
    }
    if (hook != null) {
      hook.run();
    }
  }

  private HttpResponse<byte[]> forward(HttpExchange ex, byte[] body) throws IOException {
    var request =
        HttpRequest.newBuilder(upstream.resolve(ex.getRequestURI().toString()))
            .timeout(Duration.ofSeconds(60))
            .method(ex.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
    ex.getRequestHeaders()
        .forEach(
            (name, values) -> {
              if (!HOP_BY_HOP.contains(name.toLowerCase())) {
                values.forEach(v -> request.header(name, v));
              }
            });
    try {
      return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }

  /**
   * AWS's checks at CreateAutoScalingGroup that moto does not make: the name is free, and the
   * launch template version's image and instance profile exist (for those declared missing).
   */
  private Answer asAwsRefusesAGroup(String region, String form) {
    String name = param(form, "AutoScalingGroupName");
    try (var asg = Moto.autoScaling(region);
        var ec2 = Moto.ec2(region)) {
      if (name != null
          && !asg.describeAutoScalingGroups(r -> r.autoScalingGroupNames(name))
              .autoScalingGroups()
              .isEmpty()) {
        return queryError(
            400,
            "Sender",
            "AlreadyExists",
            "AutoScalingGroup by this name already exists - A group with the name "
                + name
                + " already exists");
      }
      String template = param(form, "LaunchTemplate.LaunchTemplateId");
      String version = param(form, "LaunchTemplate.Version");
      if (template == null || version == null) {
        return null;
      }
      var data =
          ec2.describeLaunchTemplateVersions(r -> r.launchTemplateId(template).versions(version))
              .launchTemplateVersions()
              .get(0)
              .launchTemplateData();
      if (missingImages.contains(data.imageId())) {
        return queryError(
            400,
            "Sender",
            "ValidationError",
            "You must use a valid fully-formed launch template. The image id '["
                + data.imageId()
                + "]' does not exist");
      }
      String profile = data.iamInstanceProfile() == null ? null : data.iamInstanceProfile().name();
      if (profile != null && missingProfiles.contains(profile)) {
        return queryError(
            400,
            "Sender",
            "ValidationError",
            "You must use a valid fully-formed launch template. Value ("
                + profile
                + ") for parameter iamInstanceProfile.name is invalid. Invalid IAM Instance"
                + " Profile name");
      }
      return null;
    }
  }

  /** A form parameter of a Query-protocol request, decoded. */
  static String param(String form, String name) {
    for (String pair : form.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0 && URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8).equals(name)) {
        return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      }
    }
    return null;
  }

  /** A request as it arrived: the SDK's service name (Ec2, ...), its action and its form. */
  public record Call(String service, String action, String form) {
    public boolean mutating() {
      return isMutating(action);
    }
  }

  /** Told of every request as it arrives. */
  public void onRequest(Consumer<Call> listener) {
    this.listener = listener;
  }

  /** Requests so far that read, and that change something. */
  public int reads() {
    synchronized (seen) {
      return (int) seen.stream().filter(c -> !isMutating(c.substring(0, c.indexOf('?')))).count();
    }
  }

  public int writes() {
    synchronized (seen) {
      return (int) seen.stream().filter(c -> isMutating(c.substring(0, c.indexOf('?')))).count();
    }
  }

  /** Forgets the requests seen so far. */
  public void resetCounts() {
    synchronized (seen) {
      seen.clear();
    }
  }

  private void record(String service, String action, String form) {
    listener.accept(
        new Call(
            switch (service) {
              case "ec2" -> "Ec2";
              case "elasticloadbalancing" -> "ElasticLoadBalancingV2";
              case "autoscaling" -> "AutoScaling";
              default -> service;
            },
            action,
            form));
    if (action != null) {
      synchronized (seen) {
        seen.add(action + "?" + URLDecoder.decode(form, StandardCharsets.UTF_8));
      }
    }
  }

  /** Requests for {@code action} so far whose parameters mention {@code value}. */
  public int calls(String action, String value) {
    synchronized (seen) {
      return (int)
          seen.stream().filter(c -> c.startsWith(action + "?") && c.contains(value)).count();
    }
  }

  /**
   * From now on, a launch template with this image cannot launch: CreateAutoScalingGroup is
   * answered as AWS answers for an image that does not exist.
   */
  public void imageDoesNotExist(String imageId) {
    missingImages.add(imageId);
  }

  /** As {@link #imageDoesNotExist}, for an instance profile name. */
  public void instanceProfileDoesNotExist(String name) {
    missingProfiles.add(name);
  }

  static boolean isMutating(String action) {
    return action != null && !action.matches("(Describe|List|Get).*");
  }

  static String action(String body, String query) {
    for (String s : new String[] {body, query}) {
      if (s != null) {
        Matcher m = ACTION.matcher(URLDecoder.decode(s, StandardCharsets.UTF_8));
        if (m.find()) {
          return m.group(1);
        }
      }
    }
    return null;
  }

  static String service(String authorization) {
    if (authorization == null) {
      return "";
    }
    Matcher m = SERVICE.matcher(authorization);
    return m.find() ? m.group(1) : "";
  }

  record Answer(int status, String body) {}

  /** AWS's answer to a caller over its request rate, per service (EC2 differs). */
  static Answer throttledError(String service) {
    return service.equals("ec2")
        ? ec2Error(503, "RequestLimitExceeded", "Request limit exceeded.")
        : queryError(400, "Sender", "Throttling", "Rate exceeded");
  }

  /** AWS's answer when it failed on its side. */
  static Answer internalError(String service) {
    return service.equals("ec2")
        ? ec2Error(500, "InternalError", "An internal error has occurred.")
        : queryError(500, "Receiver", "InternalFailure", "An internal error occurred.");
  }

  private static Answer ec2Error(int status, String code, String message) {
    return new Answer(
        status,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response><Errors><Error><Code>"
            + code
            + "</Code><Message>"
            + message
            + "</Message></Error></Errors><RequestID>"
            + UUID.randomUUID()
            + "</RequestID></Response>");
  }

  private static Answer queryError(int status, String type, String code, String message) {
    return new Answer(
        status,
        "<ErrorResponse><Error><Type>"
            + type
            + "</Type><Code>"
            + code
            + "</Code><Message>"
            + message
            + "</Message></Error><RequestId>"
            + UUID.randomUUID()
            + "</RequestId></ErrorResponse>");
  }

  private static void respond(HttpExchange ex, Answer answer) throws IOException {
    byte[] out = answer.body().getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().putAll(Map.of("Content-Type", List.of("text/xml")));
    ex.sendResponseHeaders(answer.status(), out.length);
    ex.getResponseBody().write(out);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public synchronized void close() {
    if (server != null) {
      server.stop(0);
      server = null;
    }
    workers.shutdownNow();
  }
}
