package io.scalableapp.operator;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.javaoperatorsdk.operator.Operator;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/** /metrics (Prometheus), /healthz (the process serves) and /readyz (the operator is watching). */
public final class HealthServer implements AutoCloseable {
  private final HttpServer server;

  public HealthServer(int port, PrometheusMeterRegistry registry, Operator operator)
      throws IOException {
    this(port, registry, operator, new Leadership());
  }

  public HealthServer(
      int port, PrometheusMeterRegistry registry, Operator operator, Leadership leadership)
      throws IOException {
    server = HttpServer.create(new InetSocketAddress(port), 0);
    server.createContext(
        "/metrics", x -> send(x, 200, registry.scrape(), "text/plain; version=0.0.4"));
    server.createContext("/healthz", x -> send(x, 200, "ok\n", "text/plain"));
    server.createContext(
        "/readyz",
        x -> {
          String why;
          try {
            var info = operator.getRuntimeInfo();
            why =
                !info.isStarted()
                    ? "not started"
                    : leadership.standby() || info.allEventSourcesAreHealthy()
                        ? null
                        : "unhealthy: " + info.unhealthyEventSources();
          } catch (RuntimeException e) {
            // Before start() the runtime info is not there yet.
            why = "not started: " + e.getMessage();
          }
          String ok =
              leadership.standby()
                  ? "ready (standby; leader: " + leadership.leader() + ")\n"
                  : "ready\n";
          send(
              x,
              why == null ? 200 : 503,
              why == null ? ok : "not ready: " + why + "\n",
              "text/plain");
        });
    server.start();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private static void send(HttpExchange x, int code, String body, String type) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    x.getResponseHeaders().set("Content-Type", type);
    x.sendResponseHeaders(code, bytes.length);
    try (var out = x.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
