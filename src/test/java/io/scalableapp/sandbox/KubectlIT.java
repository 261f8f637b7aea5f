package io.scalableapp.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.scalableapp.operator.api.Condition;
import io.scalableapp.operator.api.ScalableApp;
import io.scalableapp.operator.api.ScalableAppStatus;
import io.scalableapp.operator.testing.Apps;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real kubectl against the sandbox's embedded API, as against a cluster: {@code kubectl get}
 * shows the CRD's printer columns (the API serves Tables), {@code -o wide} the wide ones, and the
 * {@code aws} category finds the kind; {@code kubectl apply} validates on the server, which refuses
 * what the CRD's schema and rules refuse in the API server's words; {@code kubectl get -w} and
 * {@code kubectl wait} follow changes; {@code kubectl explain} reads the schema.
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
    status.conditions.get(0).lastTransitionTime = "2026-01-01T00:00:00Z";
    app.setStatus(status);
    cluster.client().resource(app).updateStatus();
  }

  @AfterEach
  void close() {
    cluster.close();
  }

  String kubectl(String... args) throws IOException, InterruptedException {
    Result r = run(args);
    assertThat(r.exit()).as("kubectl %s: %s", String.join(" ", args), r.out()).isZero();
    return r.out();
  }

  record Result(int exit, String out) {}

  Result run(String... args) throws IOException, InterruptedException {
    Process p = start(args);
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();
    return new Result(p.exitValue(), out);
  }

  Process start(String... args) throws IOException {
    var command =
        new ArrayList<String>(List.of(kubectl.toString(), "--kubeconfig", kubeconfig.toString()));
    command.addAll(List.of(args));
    return new ProcessBuilder(command).redirectErrorStream(true).start();
  }

  /** The app's status with a Ready condition of this value. */
  void ready(boolean ready) {
    ScalableApp app = cluster.get("hr", "directory");
    var condition = new Condition(Condition.READY, ready, ready ? "Ready" : "Provisioning", "m");
    condition.lastTransitionTime = java.time.Instant.now().toString().replaceAll("\\.\\d+", "");
    app.getStatus().conditions = new ArrayList<>(List.of(condition));
    cluster.client().resource(app).updateStatus();
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

  Path manifest(String name, String capacity) throws IOException {
    Path manifest = temp.resolve(name + ".yaml");
    Files.writeString(
        manifest,
        Files.readString(Path.of("examples/minimal.yaml"))
            .replaceFirst("name: minimal", "name: " + name)
            .replaceFirst("namespace: [a-z-]+", "namespace: hr")
            .replaceFirst("capacity: \\{[^}]*\\}", "capacity: " + capacity));
    return manifest;
  }

  @Test
  void applyCreatesChangesAndLeavesUnchangedWithTheServersFieldValidation() throws Exception {
    // No --validate=false: the OpenAPI v3 document says the kind's PATCH takes fieldValidation,
    // so kubectl sends fieldValidation=Strict instead of validating against OpenAPI v2 itself.
    Path manifest = manifest("mine", "{min: 1, max: 2}");

    assertThat(kubectl("apply", "-f", manifest.toString()))
        .contains("scalableapp.scalableapp.io/mine created");
    assertThat(cluster.get("hr", "mine").getSpec().instanceType).isEqualTo("t3.nano");
    assertThat(kubectl("apply", "-f", manifest.toString()))
        .contains("scalableapp.scalableapp.io/mine unchanged");
    assertThat(kubectl("apply", "-f", manifest("mine", "{min: 1, max: 3}").toString()))
        .contains("scalableapp.scalableapp.io/mine configured");
    assertThat(cluster.get("hr", "mine").getSpec().capacity.max).isEqualTo(3);
  }

  @Test
  void everyExampleAppliesAsItIs() throws Exception {
    try (var examples = Files.list(Path.of("examples"))) {
      for (Path example : examples.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
        assertThat(kubectl("apply", "-f", example.toString()))
            .as(example.toString())
            .contains(" created");
      }
    }
    assertThat(kubectl("get", "sapp", "-n", "default", "-o", "name").lines())
        .contains(
            "scalableapp.scalableapp.io/employee-directory", "scalableapp.scalableapp.io/minimal");
  }

  @Test
  void theCrdsRulesRefuseBadAppsInTheApiServersWords() throws Exception {
    Result bad = run("apply", "-f", manifest("bad", "{min: 5, max: 2}").toString());
    assertThat(bad.exit()).isNotZero();
    assertThat(bad.out())
        .contains("spec.capacity: Invalid value: \"object\": capacity.min must be <= capacity.max");
    assertThat(cluster.get("hr", "bad")).isNull();

    Path unknown = temp.resolve("unknown.yaml");
    Files.writeString(
        unknown,
        Files.readString(manifest("odd", "{min: 1, max: 2}"))
            .replaceFirst("\n  capacity:", "\n  replicas: 3\n  capacity:"));
    Result odd = run("apply", "-f", unknown.toString());
    assertThat(odd.exit()).isNotZero();
    assertThat(odd.out()).contains("strict decoding error: unknown field \"spec.replicas\"");

    // On an update (patch) and through the scale subresource, as on create.
    Result patched =
        run(
            "patch",
            "sapp",
            "directory",
            "-n",
            "hr",
            "--type",
            "merge",
            "-p",
            "{\"spec\":{\"capacity\":{\"min\":9}}}");
    assertThat(patched.exit()).isNotZero();
    assertThat(patched.out())
        .contains("The ScalableApp \"directory\" is invalid: spec.capacity: Invalid value:");
    Result scaled = run("scale", "sapp/directory", "-n", "hr", "--replicas=40");
    assertThat(scaled.exit()).isNotZero();
    assertThat(scaled.out()).contains("spec.capacity: Invalid value: \"object\": ");
    assertThat(cluster.get("hr", "directory").getSpec().capacity.min).isEqualTo(2);
  }

  /** A kubectl that watches, its standard output line by line as it comes. */
  record Watching(Process process, BlockingQueue<String> out) {}

  /**
   * Starts kubectl with {@code -v=6} and returns once its log shows the server's answer to its
   * watch: the embedded API answers a watch only once it is live, so a change made after this is
   * one the watch must see (and not one kubectl read in its list).
   */
  Watching watching(String... args) throws Exception {
    var command =
        new ArrayList<String>(
            List.of(kubectl.toString(), "--kubeconfig", kubeconfig.toString(), "-v=6"));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).start();
    BlockingQueue<String> out = new LinkedBlockingQueue<>();
    var live = new CountDownLatch(1);
    daemon(
        () ->
            new BufferedReader(new InputStreamReader(p.getInputStream()))
                .lines()
                .forEach(out::add));
    daemon(
        () ->
            new BufferedReader(new InputStreamReader(p.getErrorStream()))
                .lines()
                .filter(l -> l.contains("watch=true") && l.contains("200 OK"))
                .forEach(l -> live.countDown()));
    assertThat(live.await(30, TimeUnit.SECONDS)).as("kubectl's watch answered").isTrue();
    return new Watching(p, out);
  }

  static void daemon(Runnable r) {
    Thread t = new Thread(r);
    t.setDaemon(true);
    t.start();
  }

  @Test
  void getWatchPrintsEachChangeAsItHappens() throws Exception {
    Watching watch = watching("get", "sapp", "-n", "hr", "-w");
    try {
      assertThat(watch.out().poll(30, TimeUnit.SECONDS)).startsWith("NAME");
      assertThat(words(watch.out().poll(30, TimeUnit.SECONDS)))
          .startsWith("directory", "t3.micro", "2", "4");

      cluster.edit("hr", "directory", a -> a.getSpec().capacity.max = 5);

      String changed = watch.out().poll(30, TimeUnit.SECONDS);
      assertThat(changed).as("a row for the change").isNotNull();
      assertThat(words(changed)).startsWith("directory", "t3.micro", "2", "5");
      assertThat(watch.out().poll(500, TimeUnit.MILLISECONDS)).as("one row per change").isNull();
      assertThat(watch.process().isAlive()).as("still watching").isTrue();
    } finally {
      watch.process().destroy();
    }
  }

  @Test
  void waitReturnsOnceTheConditionComesTrue() throws Exception {
    ready(false);
    Watching wait =
        watching("wait", "--for=condition=Ready", "sapp/directory", "-n", "hr", "--timeout=60s");
    try {
      assertThat(wait.process().isAlive()).as("waiting while Ready is False").isTrue();

      ready(true);

      assertThat(wait.process().waitFor(30, TimeUnit.SECONDS)).as("done once Ready").isTrue();
      assertThat(wait.process().exitValue()).isZero();
      assertThat(wait.out().poll(5, TimeUnit.SECONDS))
          .isEqualTo("scalableapp.scalableapp.io/directory condition met");
    } finally {
      wait.process().destroy();
    }
  }

  @Test
  void eventsShowAsOnAClusterInGetAndDescribe() throws Exception {
    ScalableApp app = cluster.get("hr", "directory");
    cluster
        .client()
        .v1()
        .events()
        .inNamespace("hr")
        .resource(
            new io.fabric8.kubernetes.api.model.EventBuilder()
                .withNewMetadata()
                .withName("directory.1")
                .withNamespace("hr")
                .endMetadata()
                .withInvolvedObject(
                    new io.fabric8.kubernetes.api.model.ObjectReferenceBuilder()
                        .withApiVersion(ScalableApp.GROUP + "/" + ScalableApp.VERSION)
                        .withKind("ScalableApp")
                        .withName("directory")
                        .withNamespace("hr")
                        .withUid(app.getMetadata().getUid())
                        .build())
                .withType("Normal")
                .withReason("ScaledOut")
                .withMessage("desired 2 -> 4")
                .withCount(3)
                .withLastTimestamp(java.time.Instant.now().minusSeconds(90).toString())
                .withNewSource("scalableapp-operator", null)
                .build())
        .create();

    List<String> lines = kubectl("get", "events", "-n", "hr").lines().toList();
    assertThat(words(lines.get(0)))
        .startsWith("LAST", "SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE");
    assertThat(words(lines.get(1)))
        .containsExactly(
            "90s", "Normal", "ScaledOut", "scalableapp/directory", "desired", "2", "->", "4");
    // describe finds the app's events by a field selector on involvedObject.
    assertThat(kubectl("describe", "sapp", "directory", "-n", "hr"))
        .containsPattern("Normal\\s+ScaledOut\\s+.*scalableapp-operator\\s+desired 2 -> 4");
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
