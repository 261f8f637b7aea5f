package io.scalableapp.sandbox;

import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.HttpUrl;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.vertx.HttpServerRequestHandler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * fabric8's mock web server (7.5.2) that also serves watches over plain HTTP, as kubectl asks for
 * them ({@code kubectl get -w}, {@code kubectl wait}): the stock server answers a watch only as a
 * WebSocket (what fabric8's client uses), because a {@link MockResponse} is a whole body. Here a
 * {@code GET ...?watch=true} without a WebSocket upgrade is answered with a chunked stream, one
 * JSON watch event per line, until the client leaves or {@code timeoutSeconds} passes; the events
 * are the stock CRUD dispatcher's (its watch listener, handed a socket that writes to the stream),
 * shaped by {@link HttpWatch}. Every other request is served as the stock server serves it.
 */
final class WatchingWebServer extends MockWebServer {
  private final BlockingQueue<RecordedRequest> requests = new LinkedBlockingQueue<>();
  private final java.util.concurrent.atomic.AtomicInteger requestCount =
      new java.util.concurrent.atomic.AtomicInteger();
  private volatile Dispatcher dispatcher;
  private Vertx vertx;
  private HttpServer http;
  private String hostName;
  private int port;

  @Override
  public void setDispatcher(Dispatcher dispatcher) {
    this.dispatcher = dispatcher;
    super.setDispatcher(dispatcher);
  }

  @Override
  public synchronized void start(InetAddress address, int requestedPort) {
    if (http != null) {
      throw new IllegalStateException("start() already called");
    }
    vertx = stockVertx();
    hostName = address.getHostName().equals("127.0.0.1") ? "localhost" : address.getHostName();
    var stock =
        new HttpServerRequestHandler(vertx) {
          @Override
          protected MockResponse onHttpRequest(RecordedRequest request) {
            requests.add(request);
            requestCount.incrementAndGet();
            return json(dispatcher.dispatch(request));
          }
        };
    http =
        vertx.createHttpServer(
            new HttpServerOptions()
                .setHost(address.getHostAddress())
                .setPort(requestedPort)
                .setWebSocketSubProtocols(
                    List.of(
                        "v1.channel.k8s.io",
                        "v2.channel.k8s.io",
                        "v3.channel.k8s.io",
                        "v4.channel.k8s.io"))
                .setHandle100ContinueAutomatically(true));
    http.requestHandler(
        request -> {
          if (isPlainHttpWatch(request) && dispatcher instanceof RfcCrudDispatcher crud) {
            streamWatch(request, crud);
          } else {
            stock.handle(request);
          }
        });
    try {
      http.listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("the embedded API server did not start", e);
    }
    port = http.actualPort();
  }

  /**
   * The Vert.x instance the stock server made in its constructor (private there): this server runs
   * on it instead of a second one that would never be closed.
   */
  private Vertx stockVertx() {
    try {
      var field = MockWebServer.class.getDeclaredField("vertx");
      field.setAccessible(true);
      return (Vertx) field.get(this);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("fabric8's MockWebServer has no vertx field any more", e);
    }
  }

  private static boolean isPlainHttpWatch(HttpServerRequest request) {
    return request.method() == io.vertx.core.http.HttpMethod.GET
        && RfcCrudDispatcher.isWatch(request.uri())
        && !"websocket".equalsIgnoreCase(request.getHeader("Upgrade"));
  }

  private void streamWatch(HttpServerRequest request, RfcCrudDispatcher crud) {
    RecordedRequest recorded =
        new RecordedRequest(
            request.version().alpnName().toUpperCase(Locale.ROOT),
            HttpMethod.GET,
            request.uri(),
            Headers.builder().addAll(request.headers()).build(),
            new io.fabric8.mockwebserver.http.Buffer());
    requests.add(recorded);
    requestCount.incrementAndGet();
    MockResponse answer = dispatcher.dispatch(recorded);
    if (answer.getWebSocketListener() == null) {
      stock(request, json(answer)); // a recorded expectation, say
      return;
    }
    var listener = answer.getWebSocketListener();
    HttpWatch watch = crud.httpWatch(recorded);
    HttpServerResponse response = request.response();
    // Every write and the end on the request's own event loop, in order: none after the end.
    io.vertx.core.Context loop = vertx.getOrCreateContext();
    AtomicBoolean open = new AtomicBoolean(true);
    java.util.concurrent.atomic.AtomicLong timer = new java.util.concurrent.atomic.AtomicLong(-1);
    WebSocket stream =
        new WebSocket() {
          @Override
          public RecordedRequest request() {
            return recorded;
          }

          @Override
          public boolean send(String event) {
            String line = watch.line(event);
            if (line != null && open.get()) {
              loop.runOnContext(
                  v -> {
                    if (!response.ended() && !response.closed()) {
                      response.write(line + "\n");
                    }
                  });
            }
            return open.get();
          }

          @Override
          public boolean send(byte[] bytes) {
            return send(new String(bytes, java.nio.charset.StandardCharsets.UTF_8));
          }

          @Override
          public boolean close(int code, String reason) {
            if (open.getAndSet(false)) {
              vertx.cancelTimer(timer.get());
              loop.runOnContext(
                  v -> {
                    if (!response.ended() && !response.closed()) {
                      response.end();
                    }
                  });
              // The listener's close waits for its sender thread: never on the event loop.
              CompletableFuture.runAsync(() -> listener.onClosed(this, 1000, "closed"));
            }
            return true;
          }
        };
    // Open the listener at once: the stock one drops what it sends before it is open.
    listener.onOpen(stream, new MockResponse());
    response.closeHandler(v -> stream.close(1000, "client left"));
    String timeout = request.getParam("timeoutSeconds");
    if (timeout != null && timeout.matches("[1-9][0-9]*")) {
      timer.set(vertx.setTimer(Long.parseLong(timeout) * 1000, t -> stream.close(1000, "timeout")));
    }
    try {
      List<String> first = watch.begin();
      // The head only once the watch is live: a client that has it misses nothing after.
      response.setStatusCode(200).setChunked(true).putHeader("Content-Type", "application/json");
      first.forEach(line -> response.write(line + "\n"));
      if (first.isEmpty()) {
        response.writeHead();
      }
    } catch (RuntimeException e) {
      stream.close(1011, e.getMessage());
      throw e;
    } finally {
      watch.go();
    }
  }

  /**
   * The answer with {@code Content-Type: application/json} when it is JSON and says nothing (the
   * stock mock never does): client-go decodes an untyped answer with the codec it asked for first,
   * protobuf for core kinds, so kubectl describe lost the events it listed.
   */
  private static MockResponse json(MockResponse answer) {
    byte[] body = answer.getBody() == null ? new byte[0] : answer.getBody().getBytes();
    if (answer.getWebSocketListener() == null
        && answer.getHeaders().get("Content-Type") == null
        && body.length > 0
        && (body[0] == '{' || body[0] == '[')) {
      answer.setHeader("Content-Type", "application/json");
    }
    return answer;
  }

  /** A whole answer, as the stock server writes it. */
  private static void stock(HttpServerRequest request, MockResponse answer) {
    HttpServerResponse response = request.response().setStatusCode(answer.code());
    answer.getHeaders().toMultimap().forEach((k, v) -> response.headers().add(k, v));
    byte[] body = answer.getBody() == null ? new byte[0] : answer.getBody().getBytes();
    response.end(io.vertx.core.buffer.Buffer.buffer(body));
  }

  @Override
  public void useHttps() {
    throw new UnsupportedOperationException("the embedded API serves plain HTTP only");
  }

  @Override
  public synchronized void shutdown() {
    if (http == null) {
      return;
    }
    dispatcher.shutdown();
    try {
      http.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("the embedded API server did not stop", e);
    } finally {
      http = null;
    }
  }

  @Override
  public int getPort() {
    return port;
  }

  @Override
  public String getHostName() {
    return hostName;
  }

  @Override
  public Proxy toProxyAddress() {
    return new Proxy(Proxy.Type.HTTP, new InetSocketAddress(getHostName(), getPort()));
  }

  @Override
  public HttpUrl url(String path) {
    return HttpUrl.parse(
        "http://"
            + hostName
            + ":"
            + port
            + "/"
            + (path.startsWith("/") ? path.substring(1) : path));
  }

  @Override
  public RecordedRequest takeRequest() throws InterruptedException {
    return requests.take();
  }

  @Override
  public RecordedRequest takeRequest(long timeout, TimeUnit unit) throws InterruptedException {
    return requests.poll(timeout, unit);
  }

  @Override
  public int getRequestCount() {
    return requestCount.get();
  }

  @Override
  public String toString() {
    return "WatchingWebServer[" + port + "]";
  }
}
