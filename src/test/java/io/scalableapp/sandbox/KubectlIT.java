package io.scalableapp.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.scalableapp.operator.api.Condition;
import io.scalableapp.operator.api.ScalableApp;
import io.scalableapp.operator.api.ScalableAppStatus;
import io.scalableapp.operator.testing.Apps;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real kubectl against the sandbox's embedded API: {@code kubectl get} shows the CRD's printer
 * columns (the API serves Tables), {@code -o wide} the wide ones, and the {@code aws} category
 * finds the kind.
 */
class KubectlIT {
  private static Path kubectl;
  EmbeddedCluster cluster;
  @TempDir Path temp;
  Path kubeconfig;

  @BeforeAll
  static void findKubectl() throws IOException, InterruptedException {
    var p =
        new ProcessBuilder("bash", "tools/kubectl-helm/install.sh")
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    List<String> lines = new String(p.getInputStream().readAllBytes()).strip().lines().toList();
    assertThat(p.waitFor(10, TimeUnit.MINUTES)).isTrue();
    kubectl = Path.of(lines.get(lines.size() - 1), "kubectl");
    assertThat(kubectl).isExecutable();
  }

  @BeforeEach
  void cluster() throws IOException {
    cluster = new EmbeddedCluster();
    kubeconfig = temp.resolve("kubeconfig");
    Files.writeString(kubeconfig, Sandbox.kubeconfig(cluster.url()));
    ScalableApp app = cluster.apply(Apps.web("hr", "directory", List.of("subnet-0000000a")));
    var status = new ScalableAppStatus();
    status.phase = ScalableAppStatus.Phase.Ready;
    status.replicas = 2;
    status.desiredCapacity = 2;
    status.zoneSummary = "us-west-2a=1 us-west-2b=1";
    status.launchTemplate = new ScalableAppStatus.LaunchTemplateRef();
    status.launchTemplate.version = 4L;
    status.conditions =
        new ArrayList<>(List.of(new Condition(Condition.READY, true, "Ready", "ok")));
    app.setStatus(status);
    cluster.client().resource(app).updateStatus();
  }

  @AfterEach
  void close() {
    cluster.close();
  }

  String kubectl(String... args) throws IOException, InterruptedException {
    var command =
        new ArrayList<String>(List.of(kubectl.toString(), "--kubeconfig", kubeconfig.toString()));
    command.addAll(List.of(args));
    var p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();
    assertThat(p.exitValue()).as("kubectl %s: %s", String.join(" ", args), out).isZero();
    return out;
  }

  static List<String> words(String line) {
    return List.of(line.trim().split("\\s+"));
  }

  @Test
  void getShowsThePrinterColumns() throws Exception {
    List<String> lines = kubectl("get", "sapp", "-n", "hr").lines().toList();

    assertThat(words(lines.get(0)))
        .containsExactly(
            "NAME",
            "TYPE",
            "MIN",
            "MAX",
            "DESIRED",
            "INSERVICE",
            "READY",
            "STATUS",
            "ENDPOINT",
            "AGE");
    assertThat(words(lines.get(1)))
        .startsWith("directory", "t3.micro", "2", "4", "2", "2", "True", "Ready");
  }

  @Test
  void wideAddsTypesZonesVersionAndRollout() throws Exception {
    String header =
        kubectl("get", "sapp", "-n", "hr", "-o", "wide").lines().findFirst().orElseThrow();

    assertThat(words(header)).endsWith("TYPES", "ZONES", "VERSION", "ROLLOUT");
    assertThat(kubectl("get", "sapp", "directory", "-n", "hr", "-o", "wide"))
        .contains("us-west-2a=1 us-west-2b=1")
        .containsPattern("\\s4\\s");
  }

  @Test
  void applyCreatesAnAppWithoutClientSideValidation() throws Exception {
    // The embedded API serves no OpenAPI, which kubectl's client-side validation reads first.
    Path manifest = temp.resolve("mine.yaml");
    Files.writeString(
        manifest,
        Files.readString(Path.of("examples/minimal.yaml"))
            .replaceFirst("name: minimal", "name: mine")
            .replaceFirst("namespace: [a-z-]+", "namespace: hr"));

    assertThat(kubectl("apply", "--validate=false", "-f", manifest.toString()))
        .contains("scalableapp.scalableapp.io/mine created");
    assertThat(cluster.get("hr", "mine").getSpec().instanceType).isEqualTo("t3.nano");
    assertThat(kubectl("apply", "--validate=false", "-f", manifest.toString()))
        .contains("scalableapp.scalableapp.io/mine unchanged");
  }

  @Test
  void explainReadsTheCrdsSchemaAndItsDescriptions() throws Exception {
    assertThat(kubectl("explain", "sapp"))
        .contains("KIND:       ScalableApp")
        .contains("ScalableApp is a highly available EC2 application fleet");
    assertThat(kubectl("explain", "sapp.spec.capacity"))
        .contains("FIELD: capacity <Object>")
        .contains("desired")
        .contains("max")
        .contains("min");
  }

  @Test
  void theAwsCategoryFindsApps() throws Exception {
    // The one kind in the category: kubectl shows its columns without a kind prefix.
    assertThat(kubectl("get", "aws", "-n", "hr").lines().skip(1).map(KubectlIT::words))
        .singleElement()
        .satisfies(row -> assertThat(row).startsWith("directory", "t3.micro"));
  }
}
