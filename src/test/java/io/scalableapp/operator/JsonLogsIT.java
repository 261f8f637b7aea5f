package io.scalableapp.operator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** LOG_FORMAT=json makes every log line of the real process one JSON object. */
class JsonLogsIT {
  @Test
  void everyLineIsAJsonObject() throws Exception {
    int port;
    try (var socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    var pb =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName())
            .redirectErrorStream(true);
    pb.environment().put("LOG_FORMAT", "json");
    pb.environment().put("KUBECONFIG", "/nonexistent/kubeconfig");
    pb.environment().put("METRICS_PORT", Integer.toString(port));
    pb.environment().remove("KUBERNETES_SERVICE_HOST");
    Process p = pb.start();
    List<String> lines = new ArrayList<>();
    try (var out =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null && lines.size() < 50) {
        if (!line.isBlank()) {
          lines.add(line);
        }
        if (line.contains("starting: ")) {
          break;
        }
      }
    } finally {
      p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }

    var json = new ObjectMapper();
    assertThat(lines)
        .isNotEmpty()
        .allSatisfy(
            l -> {
              JsonNode n = json.readTree(l);
              // The field names the README gives.
              assertThat(n.has("level")).as(l).isTrue();
              assertThat(n.has("loggerName")).as(l).isTrue();
              assertThat(n.has("threadName")).as(l).isTrue();
              assertThat(n.has("formattedMessage")).as(l).isTrue();
              assertThat(n.get("timestamp").isNumber()).as("epoch milliseconds: " + l).isTrue();
              assertThat(n.get("timestamp").asLong())
                  .isCloseTo(
                      System.currentTimeMillis(), org.assertj.core.data.Offset.offset(600_000L));
            });
    assertThat(lines)
        .anySatisfy(
            l ->
                assertThat(json.readTree(l).get("formattedMessage").asText())
                    .startsWith("starting: namespaces=all"));
  }
}
