package io.scalableapp.sandbox;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.scalableapp.operator.api.ScalableApp;
import io.scalableapp.operator.api.ScalableAppStatus;
import io.scalableapp.operator.cloud.CloudProvider;
import io.scalableapp.operator.cloud.aws.AwsCloudProvider;
import io.scalableapp.operator.plan.AppNames;
import io.scalableapp.operator.plan.SpecValidator;
import io.scalableapp.operator.reconcile.ScalableAppReconciler;
import io.scalableapp.sandbox.sim.SimClock;
import io.scalableapp.sandbox.sim.SimulatedCloud;
import io.scalableapp.sandbox.sim.World;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;

/**
 * {@code java -jar scalableapp-sandbox.jar}: the real operator against an embedded Kubernetes API
 * and the simulated cloud, playing the employee directory's {@link Story} in compressed time and
 * printing what {@code kubectl get sapp -w} and the AWS console would show ({@link Console}). Exits
 * 0 when every step was observed, 1 with the step that failed, 2 on bad options.
 */
public final class Sandbox {
  static final String DEFAULT_MANIFEST = "examples/employee-directory.yaml";

  private final SandboxOptions options;
  private final ScalableApp app;
  private final Clock clock;
  private final SimulatedCloud sim;
  private final CloudProvider cloud;
  private final EmbeddedCluster cluster;
  private final Console console;
  private TimeDriver time;

  private Sandbox(SandboxOptions options, PrintStream out, ScalableApp manifest) {
    this.options = options;
    this.app = manifest;
    if (manifest.getMetadata().getNamespace() == null) {
      manifest.getMetadata().setNamespace("default");
    }
    String region = manifest.getSpec().region == null ? "us-east-1" : manifest.getSpec().region;
    if (options.simulated()) {
      // From now, so that the API's timestamps (real) and the operator's (simulated) agree.
      var simClock = new SimClock(Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
      this.clock = simClock;
      this.sim = new SimulatedCloud(simClock, World.Settings.DEFAULT, region);
      this.cloud = sim;
      provideNetwork(region);
    } else {
      this.clock = Clock.systemUTC();
      this.sim = null;
      this.cloud = emulatorCloud(out, region);
    }
    this.cluster = new EmbeddedCluster(options.keep() ? options.port() : 0, clock);
    this.console =
        new Console(
            out,
            clock,
            cluster,
            sim,
            AppNames.of(namespace(), manifest.getMetadata().getName()).autoScalingGroup());
  }

  /** {@code java -jar scalableapp-sandbox.jar [options]}. */
  public static void main(String[] args) {
    System.exit(run(List.of(args), System.out));
  }

  /** Runs the sandbox; returns the process exit code. */
  public static int run(List<String> args, PrintStream out) {
    SandboxOptions options;
    ScalableApp manifest;
    try {
      options = SandboxOptions.parse(args);
      manifest = load(options.manifest());
    } catch (IllegalArgumentException | IOException e) {
      out.println("sandbox: " + e.getMessage());
      out.print(SandboxOptions.USAGE);
      return 2;
    }
    List<String> problems = SpecValidator.validate(manifest.getSpec());
    if (!problems.isEmpty()) {
      out.println("sandbox: the manifest is not a valid ScalableApp:");
      problems.forEach(p -> out.println("  " + p));
      return 2;
    }
    quietLogs();
    var sandbox = new Sandbox(options, out, manifest);
    try {
      return sandbox.play();
    } finally {
      sandbox.close();
    }
  }

  static ScalableApp load(Path file) throws IOException {
    try (InputStream in =
        file == null
            ? Sandbox.class.getClassLoader().getResourceAsStream(DEFAULT_MANIFEST)
            : Files.newInputStream(file)) {
      if (in == null) {
        throw new IOException(DEFAULT_MANIFEST + " is missing from the jar");
      }
      ScalableApp app = Serialization.unmarshal(in, ScalableApp.class);
      if (app == null
          || app.getSpec() == null
          || app.getMetadata() == null
          || app.getMetadata().getName() == null) {
        throw new IllegalArgumentException(
            (file == null ? DEFAULT_MANIFEST : file) + " holds no ScalableApp");
      }
      return app;
    }
  }

  private static void quietLogs() {
    if (LoggerFactory.getILoggerFactory() instanceof LoggerContext ctx) {
      ctx.getLogger(Logger.ROOT_LOGGER_NAME).setLevel(Level.WARN);
      ctx.getLogger("io.fabric8").setLevel(Level.ERROR);
      // The operator's own retries of AWS errors would be noise here; status and events say it all.
      ctx.getLogger(ScalableAppReconciler.class.getPackageName()).setLevel(Level.ERROR);
    }
    java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.WARNING);
  }

  private String namespace() {
    return app.getMetadata().getNamespace();
  }

  /** The user's network, as the simulated cloud needs it: every subnet named, over two zones. */
  private void provideNetwork(String region) {
    List<String> all = new ArrayList<>(app.getSpec().subnetIds);
    if (app.getSpec().loadBalancer != null && app.getSpec().loadBalancer.subnetIds != null) {
      all.addAll(app.getSpec().loadBalancer.subnetIds);
    }
    for (int i = 0; i < all.size(); i++) {
      sim.addSubnet(all.get(i), "vpc-sandbox", region + (char) ('a' + (i % 2)));
    }
  }

  /** An emulator has none of the user's subnets: make a VPC with two and use them. */
  private CloudProvider emulatorCloud(PrintStream out, String region) {
    var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"));
    try (var ec2 =
        Ec2Client.builder()
            .endpointOverride(options.awsEndpoint())
            .credentialsProvider(credentials)
            .region(Region.of(region))
            .build()) {
      String vpc = ec2.createVpc(r -> r.cidrBlock("10.42.0.0/16")).vpc().vpcId();
      List<String> subnets = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        int n = i;
        subnets.add(
            ec2.createSubnet(
                    r ->
                        r.vpcId(vpc)
                            .cidrBlock("10.42." + n + ".0/24")
                            .availabilityZone(region + (char) ('a' + n)))
                .subnet()
                .subnetId());
      }
      out.println(
          "sandbox: created " + vpc + " with " + subnets + " in the emulator; the app uses them");
      app.getSpec().subnetIds = subnets;
      if (app.getSpec().loadBalancer != null) {
        app.getSpec().loadBalancer.subnetIds = subnets;
      }
    }
    return new AwsCloudProvider(options.awsEndpoint(), credentials, region);
  }

  private int play() {
    double speed = options.simulated() ? options.speed() : 1;
    Duration progress = Duration.ofMillis(Math.max(100, (long) (15_000 / speed)));
    Duration resync = Duration.ofMillis(Math.max(1_000, (long) (300_000 / speed)));
    cluster.startOperator(
        cloud, clock, new ScalableAppReconciler.Timing(progress, progress, resync), resync);
    var story =
        new Story(
            app,
            options.manifest() == null ? DEFAULT_MANIFEST : options.manifest().toString(),
            cluster);
    List<Story.Step> steps;
    if (options.simulated()) {
      long stepMillis = Math.max(1, Math.round(5_000 / speed));
      time =
          new TimeDriver(
              sim,
              Duration.ofMillis(Math.round(stepMillis * speed)),
              Duration.ofMillis(stepMillis));
      time.start();
      console.println(
          "sandbox: simulated AWS (in-process model of EC2, ELB and Auto Scaling), time x"
              + (long) speed);
      String newType = options.newType() != null ? options.newType() : Story.defaultNewType(app);
      steps = story.simulated(sim, time, console, newType);
    } else {
      console.println(
          "sandbox: AWS adapters against the emulator at " + options.awsEndpoint() + ", real time");
      steps = story.emulator(cloud);
    }
    console.println(
        "sandbox: embedded Kubernetes API at " + cluster.url() + " (fabric8 mock server)");
    for (int i = 0; i < steps.size(); i++) {
      Story.Step step = steps.get(i);
      console.printf("%n==> step %d/%d: %s%n", i + 1, steps.size(), step.title());
      if (step.skipped() != null) {
        console.println("    skipped: " + step.skipped());
        continue;
      }
      step.act().run();
      String failure = await(step.done(), step.budget());
      if (failure != null) {
        console.printf(
            "%nsandbox: FAILED at step %d/%d (%s): %s%n",
            i + 1, steps.size(), step.title(), failure);
        return 1;
      }
      console.println("    observed: " + step.title());
    }
    console.printf(
        "%nsandbox: every step observed in %s of %s time%n",
        console.elapsed(), options.simulated() ? "simulated" : "real");
    if (options.keep()) {
      keepServing();
    }
    return 0;
  }

  /**
   * Waits for {@code done} within {@code budget} of the sandbox's time (and at least a few real
   * seconds, since the operator itself runs in real time); null, or why it failed.
   */
  private String await(Predicate<ScalableApp> done, Duration budget) {
    Instant deadline = clock.instant().plus(budget);
    long realFloor = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    long realDeadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
    String name = app.getMetadata().getName();
    while (true) {
      ScalableApp current = cluster.get(namespace(), name);
      console.show(current);
      try {
        if (done.test(current)) {
          return null;
        }
      } catch (Story.StepFailed e) {
        return e.getMessage();
      }
      if ((clock.instant().isAfter(deadline) && System.nanoTime() > realFloor)
          || System.nanoTime() > realDeadline) {
        ScalableAppStatus s = current == null ? null : current.getStatus();
        return "not observed within "
            + budget
            + (s == null
                ? ""
                : "; last status: phase "
                    + s.phase
                    + ", "
                    + s.conditions.stream()
                        .map(Object::toString)
                        .reduce((x, y) -> x + "; " + y)
                        .orElse(""));
      }
      sleep(Duration.ofMillis(20));
    }
  }

  private void keepServing() {
    try {
      Files.writeString(options.kubeconfig(), kubeconfig(cluster.url()));
    } catch (IOException e) {
      console.println("sandbox: cannot write " + options.kubeconfig() + ": " + e.getMessage());
    }
    console.println(
        """

        sandbox: staying up (--keep). The embedded API serves %s; kubeconfig: %s
          export KUBECONFIG=%s
          kubectl get sapp -n %s -w
          kubectl apply -f %s   (after changing it: the operator rolls it out)
          kubectl wait --for=condition=Ready sapp/%s -n %s
          kubectl describe sapp %s -n %s
          kubectl scale sapp/%s -n %s --replicas=N
        It is fabric8's mock server with what kubectl needs added: discovery, Tables, OpenAPI v3
        (explain, and apply's server-side field validation), watches over HTTP, the scale
        subresource, and the CRD's schema and CEL rules on every write. Press Ctrl-C to stop.\
        """
            .formatted(
                cluster.url(),
                options.kubeconfig(),
                options.kubeconfig(),
                namespace(),
                options.manifest() == null
                    ? "examples/employee-directory.yaml"
                    : options.manifest(),
                app.getMetadata().getName(),
                namespace(),
                app.getMetadata().getName(),
                namespace(),
                app.getMetadata().getName(),
                namespace()));
    while (true) {
      console.show(cluster.get(namespace(), app.getMetadata().getName()));
      sleep(Duration.ofMillis(200));
    }
  }

  static String kubeconfig(String url) {
    return """
    apiVersion: v1
    kind: Config
    clusters:
      - name: sandbox
        cluster:
          server: %s
    users:
      - name: sandbox
        user:
          token: sandbox
    contexts:
      - name: sandbox
        context: {cluster: sandbox, user: sandbox, namespace: default}
    current-context: sandbox
    """
        .formatted(url);
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private void close() {
    if (time != null) {
      time.close();
    }
    cluster.close();
    if (cloud instanceof AutoCloseable c) {
      try {
        c.close();
      } catch (Exception ignored) {
        // closing at exit
      }
    }
  }
}
