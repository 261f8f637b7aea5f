package io.scalableapp.operator.artifacts;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/**
 * The two jars the build makes (after {@code package}): the operator's, which the Dockerfile and
 * the Helm chart run, holds only the operator; the sandbox's runs the sandbox.
 */
class ArtifactsIT {
  static final Path OPERATOR = Path.of("target", "scalableapp-operator.jar");
  static final Path SANDBOX = Path.of("target", "scalableapp-sandbox.jar");

  /** Packages of the sandbox, the simulated cloud and the embedded API server (by path). */
  static final List<String> NOT_IN_THE_OPERATOR =
      List.of(
          "io/scalableapp/sandbox/",
          "io/fabric8/mockwebserver/",
          "io/fabric8/kubernetes/client/server/mock/",
          "io/vertx/",
          "io/netty/",
          "com/networknt/",
          "dev/cel/",
          "com/google/common/",
          "com/google/protobuf/",
          "examples/");

  @Test
  void theOperatorJarHoldsNoSandboxSimulatorOrMockServerClassesAndNoneOfItsClassesNeedsThem()
      throws IOException {
    var found = new ArrayList<String>();
    var referring = new ArrayList<String>();
    try (var jar = new JarFile(OPERATOR.toFile())) {
      for (var e : jar.stream().toList()) {
        NOT_IN_THE_OPERATOR.stream()
            .filter(e.getName()::startsWith)
            .forEach(p -> found.add(e.getName()));
        if (e.getName().startsWith("io/scalableapp/") && e.getName().endsWith(".class")) {
          // Class names a class refers to are in its constant pool as UTF-8 strings.
          String bytes =
              new String(jar.getInputStream(e).readAllBytes(), StandardCharsets.ISO_8859_1);
          NOT_IN_THE_OPERATOR.stream()
              .filter(bytes::contains)
              .forEach(p -> referring.add(e.getName() + " -> " + p));
        }
      }
      assertThat(jar.getManifest().getMainAttributes().getValue("Main-Class"))
          .isEqualTo("io.scalableapp.operator.Main");
      assertThat(jar.getEntry("io/scalableapp/operator/reconcile/ScalableAppReconciler.class"))
          .isNotNull();
    }
    assertThat(found).as("sandbox, simulator or mock-server entries in the operator jar").isEmpty();
    assertThat(referring).as("operator classes referring to them").isEmpty();
  }

  @Test
  void theSandboxJarHoldsTheSandboxAndItsExample() throws IOException {
    try (var jar = new JarFile(SANDBOX.toFile())) {
      assertThat(jar.getManifest().getMainAttributes().getValue("Main-Class"))
          .isEqualTo("io.scalableapp.sandbox.Sandbox");
      assertThat(jar.getEntry("examples/employee-directory.yaml")).isNotNull();
      assertThat(
              jar.getEntry("io/fabric8/kubernetes/client/server/mock/KubernetesMockServer.class"))
          .isNotNull();
    }
  }

  @Test
  void theOperatorJarStartsAndPointsSandboxUsersToTheirJar() throws Exception {
    int port;
    try (var socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    var started =
        run(
            OPERATOR,
            List.of(),
            Map.of("KUBECONFIG", "/nonexistent/kubeconfig", "METRICS_PORT", "" + port),
            "starting: ");
    assertThat(started.out()).as(started.out()).contains("starting: namespaces=all");

    var sandbox = run(OPERATOR, List.of("sandbox"), Map.of(), null);
    assertThat(sandbox.exit()).isEqualTo(2);
    assertThat(sandbox.out()).contains("java -jar target/scalableapp-sandbox.jar");
  }

  @Test
  void theSandboxJarRunsItsOwnCommandLine() throws Exception {
    var bad = run(SANDBOX, List.of("--speed", "0"), Map.of(), null);
    assertThat(bad.exit()).as(bad.out()).isEqualTo(2);
    assertThat(bad.out()).contains("usage: java -jar scalableapp-sandbox.jar");
  }

  record Result(int exit, String out) {}

  /** Runs {@code java -jar}; with {@code until}, stops the process once a line contains it. */
  static Result run(Path jar, List<String> args, Map<String, String> env, String until)
      throws Exception {
    var command = new ArrayList<String>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-jar");
    command.add(jar.toString());
    command.addAll(args);
    var pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().putAll(env);
    pb.environment().remove("KUBERNETES_SERVICE_HOST");
    Process p = pb.start();
    var out = new StringBuilder();
    try (var in =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        out.append(line).append('\n');
        if (until != null && line.contains(until)) {
          p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
          return new Result(-1, out.toString());
        }
      }
    }
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Result(p.exitValue(), out.toString());
  }
}
