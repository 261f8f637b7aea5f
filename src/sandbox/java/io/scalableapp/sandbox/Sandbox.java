package io.scalableapp.sandbox;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.scalableapp.operator.api.Capacity;
import io.scalableapp.operator.api.ScalableApp;
import io.scalableapp.operator.api.ScalableAppStatus;
import io.scalableapp.operator.api.ScalableAppStatus.Phase;
import io.scalableapp.operator.cloud.CloudProvider;
import io.scalableapp.operator.cloud.aws.AwsCloudProvider;
import io.scalableapp.operator.plan.AppNames;
import io.scalableapp.operator.plan.RolloutPlanner;
import io.scalableapp.operator.plan.SpecValidator;
import io.scalableapp.operator.reconcile.ScalableAppReconciler;
import io.scalableapp.sandbox.sim.SimClock;
import io.scalableapp.sandbox.sim.SimulatedCloud;
import io.scalableapp.sandbox.sim.World;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;

/**
 * {@code java -jar scalableapp-sandbox.jar}: the real operator against an embedded Kubernetes API
 * and the simulated cloud, playing the employee directory's story in compressed time, printing what
 * {@code kubectl get sapp -w} and the AWS console would show. Exits 0 when every step was observed,
 * 1 with the step that failed, 2 on bad options.
 */
public final class Sandbox {
  static final String DEFAULT_MANIFEST = "examples/employee-directory.yaml";
  static final String USAGE =
      """
      usage: java -jar scalableapp-sandbox.jar [options]
        --manifest FILE      your own ScalableApp (default: the employee directory example)
        --speed N            simulated seconds per real second (default 200)
        --new-type TYPE      the instance type to roll out (default: the next size up)
        --keep               stay up afterwards: serve the embedded Kubernetes API for kubectl
        --port N             port of the embedded API with --keep (default 0: any free port)
        --kubeconfig FILE    where --keep writes the kubeconfig (default sandbox.kubeconfig)
        --aws-endpoint URL   use the AWS adapters against an emulator (moto, LocalStack) instead
                             of the simulated cloud; steps it cannot play are skipped and named
      """;

  record Options(
      Path manifest,
      double speed,
      String newType,
      boolean keep,
      int port,
      Path kubeconfig,
      URI awsEndpoint) {

    static Options parse(List<String> args) {
      Path manifest = null;
      double speed = 200;
      String newType = null;
      boolean keep = false;
      int port = 0;
      Path kubeconfig = Path.of("sandbox.kubeconfig");
      URI endpoint = null;
      for (int i = 0; i < args.size(); i++) {
        String a = args.get(i);
        switch (a) {
          case "--manifest" -> manifest = Path.of(value(args, ++i, a));
          case "--speed" -> speed = Double.parseDouble(value(args, ++i, a));
          case "--new-type" -> newType = value(args, ++i, a);
          case "--keep" -> keep = true;
          case "--port" -> port = Integer.parseInt(value(args, ++i, a));
          case "--kubeconfig" -> kubeconfig = Path.of(value(args, ++i, a));
          case "--aws-endpoint" -> endpoint = URI.create(value(args, ++i, a));
          default -> throw new IllegalArgumentException("unknown option " + a);
        }
      }
      if (speed < 1 || speed > 100_000) {
        throw new IllegalArgumentException("--speed must be between 1 and 100000");
      }
      return new Options(manifest, speed, newType, keep, port, kubeconfig, endpoint);
    }

    private static String value(List<String> args, int i, String option) {
      if (i >= args.size()) {
        throw new IllegalArgumentException(option + " needs a value");
      }
      return args.get(i);
    }
  }

  private final Options options;
  private final PrintStream out;
  private final Clock clock;
  private final SimulatedCloud sim;
  private final CloudProvider cloud;
  private final EmbeddedCluster cluster;
  private TimeDriver time;
  private ScalableApp app;
  private String namespace;
  private String name;
  private String group;
  private final Instant start;
  private final Set<String> seenEvents = new HashSet<>();
  private String lastRow = "";
  private String lastAws = "";

  private Sandbox(Options options, PrintStream out, ScalableApp manifest) {
    this.options = options;
    this.out = out;
    this.app = manifest;
    this.namespace =
        manifest.getMetadata().getNamespace() == null
            ? "default"
            : manifest.getMetadata().getNamespace();
    manifest.getMetadata().setNamespace(namespace);
    this.name = manifest.getMetadata().getName();
    this.group = AppNames.of(namespace, name).autoScalingGroup();
    if (options.awsEndpoint() == null) {
      var simClock = new SimClock(Instant.parse("2026-01-01T09:00:00Z"));
      this.clock = simClock;
      this.sim =
          new SimulatedCloud(
              simClock,
              World.Settings.DEFAULT,
              manifest.getSpec().region == null ? "us-east-1" : manifest.getSpec().region);
      this.cloud = sim;
      provideNetwork();
    } else {
      this.clock = Clock.systemUTC();
      this.sim = null;
      this.cloud = emulatorCloud();
    }
    this.start = clock.instant();
    this.cluster = new EmbeddedCluster(options.keep() ? options.port() : 0);
  }

  /** {@code java -jar scalableapp-sandbox.jar [options]}. */
  public static void main(String[] args) {
    System.exit(run(List.of(args), System.out));
  }

  /** Runs the sandbox; returns the process exit code. */
  public static int run(List<String> args, PrintStream out) {
    Options options;
    ScalableApp manifest;
    try {
      options = Options.parse(args);
      manifest = load(options.manifest());
    } catch (IllegalArgumentException | IOException e) {
      out.println("sandbox: " + e.getMessage());
      out.print(USAGE);
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
      ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(Level.WARN);
      ctx.getLogger("io.fabric8").setLevel(Level.ERROR);
      // The operator's own retries of AWS errors would be noise here; status and events say it all.
      ctx.getLogger(ScalableAppReconciler.class.getPackageName()).setLevel(Level.ERROR);
    }
    java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.WARNING);
    java.util.logging.Logger.getLogger("io.fabric8.mockwebserver")
        .setLevel(java.util.logging.Level.WARNING);
  }

  /** The user's network, as the simulated cloud needs it: every subnet named, over two zones. */
  private void provideNetwork() {
    String region =
        sim == null
            ? "us-east-1"
            : app.getSpec().region == null ? "us-east-1" : app.getSpec().region;
    List<String> all = new ArrayList<>(app.getSpec().subnetIds);
    if (app.getSpec().loadBalancer != null && app.getSpec().loadBalancer.subnetIds != null) {
      all.addAll(app.getSpec().loadBalancer.subnetIds);
    }
    for (int i = 0; i < all.size(); i++) {
      sim.addSubnet(all.get(i), "vpc-sandbox", region + (char) ('a' + (i % 2)));
    }
  }

  /** An emulator has none of the user's subnets: make a VPC with two and use them. */
  private CloudProvider emulatorCloud() {
    String region = app.getSpec().region == null ? "us-east-1" : app.getSpec().region;
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

  // ------------------------------------------------------------------ the story

  /**
   * One observed step of the story.
   *
   * @param done whether the step is observed; given the app (null once it is gone)
   * @param skipped why the step cannot be played here, or null
   */
  record Step(
      String title, Runnable act, Predicate<ScalableApp> done, Duration budget, String skipped) {}

  /** A condition on an app that exists and has a status. */
  private static Predicate<ScalableApp> status(Predicate<ScalableApp> p) {
    return a -> a != null && a.getStatus() != null && p.test(a);
  }

  private int play() {
    boolean simulated = sim != null;
    double speed = simulated ? options.speed() : 1;
    Duration progress = Duration.ofMillis(Math.max(100, (long) (15_000 / speed)));
    Duration resync = Duration.ofMillis(Math.max(1_000, (long) (300_000 / speed)));
    cluster.startOperator(
        cloud,
        clock,
        new ScalableAppReconciler.Timing(
            progress, progress, Duration.ofMillis(Math.max(1_000, (long) (300_000 / speed)))),
        resync);
    if (simulated) {
      long stepMillis = Math.max(1, Math.round(5_000 / speed));
      time =
          new TimeDriver(
              sim,
              Duration.ofMillis(Math.round(stepMillis * speed)),
              Duration.ofMillis(stepMillis));
      time.start();
    }
    out.println(
        "sandbox: "
            + (simulated
                ? "simulated AWS (in-process model of EC2, ELB and Auto Scaling), time x"
                    + (long) speed
                : "AWS adapters against the emulator at " + options.awsEndpoint() + ", real time"));
    out.println("sandbox: embedded Kubernetes API at " + cluster.url() + " (fabric8 mock server)");

    List<Step> steps = simulated ? simulatedStory() : emulatorStory();
    for (int i = 0; i < steps.size(); i++) {
      Step step = steps.get(i);
      out.printf("%n==> step %d/%d: %s%n", i + 1, steps.size(), step.title());
      if (step.skipped() != null) {
        out.println("    skipped: " + step.skipped());
        continue;
      }
      step.act().run();
      String failure = await(step.done(), step.budget());
      if (failure != null) {
        out.printf(
            "%nsandbox: FAILED at step %d/%d (%s): %s%n",
            i + 1, steps.size(), step.title(), failure);
        return 1;
      }
      out.println("    observed: " + step.title());
    }
    out.printf(
        "%nsandbox: every step observed in %s of %s time%n",
        elapsed(), simulated ? "simulated" : "real");
    if (options.keep()) {
      keepServing();
    }
    return 0;
  }

  private List<Step> simulatedStory() {
    Capacity c = app.getSpec().capacity;
    int min = c.min;
    int max = c.max;
    String newType =
        options.newType() != null ? options.newType() : nextSize(app.getSpec().instanceType);
    var rollout = RolloutPlanner.preferences(app.getSpec());
    int minHealthyPct = rollout.minHealthyPercentage();
    int maxHealthyPct = rollout.maxHealthyPercentage();
    long zones = app.getSpec().subnetIds.size() > 1 ? 2 : 1;
    var lowestHealthy = new AtomicInteger(Integer.MAX_VALUE);
    var steps = new ArrayList<Step>();
    steps.add(
        new Step(
            "kubectl apply -f "
                + (options.manifest() == null ? DEFAULT_MANIFEST : options.manifest()),
            () -> cluster.apply(app),
            status(a -> true),
            Duration.ofMinutes(5),
            null));
    steps.add(
        new Step(
            "the fleet comes up: "
                + min
                + " instances InService across "
                + zones
                + " availability zone(s)"
                + (app.getSpec().targetGroup == null ? "" : ", healthy behind the target group")
                + (app.getSpec().loadBalancer == null ? "" : " and the load balancer"),
            () -> {},
            status(
                a ->
                    ready(a)
                        && a.getStatus().replicas >= min
                        && zonesInService() >= zones
                        && (app.getSpec().targetGroup == null || healthyTargets() >= min)
                        && (app.getSpec().loadBalancer == null
                            || (a.getStatus().loadBalancer != null
                                && a.getStatus().loadBalancer.dnsName != null))),
            Duration.ofMinutes(30),
            null));
    if (app.getSpec().scaling == null) {
      String why = "spec.scaling is unset: there is no CPU policy to scale on";
      steps.add(
          new Step("CPU load on every instance (the app's stress button)", null, null, null, why));
      steps.add(new Step("the load stops", null, null, null, why));
    } else {
      steps.add(
          new Step(
              "CPU load on every instance (the app's stress button): the policy scales out to max "
                  + max,
              () -> sim.faults().setCpuDemand(group, (max + 1) * 100.0),
              status(
                  a ->
                      a.getStatus().desiredCapacity != null
                          && a.getStatus().desiredCapacity == max
                          && a.getStatus().replicas == max),
              Duration.ofHours(1),
              null));
      steps.add(
          new Step(
              "the load stops: the policy scales back in to min " + min,
              () -> sim.faults().setCpuDemand(group, 5.0 * min),
              status(
                  a ->
                      a.getStatus().desiredCapacity != null
                          && a.getStatus().desiredCapacity == min
                          && a.getStatus().replicas == min),
              Duration.ofHours(2),
              null));
    }
    steps.add(
        new Step(
            "kubectl patch: instanceType "
                + app.getSpec().instanceType
                + " -> "
                + newType
                + ": a rolling replacement keeping "
                + minHealthyPct
                + "% healthy",
            () -> {
              time.onTick(
                  () -> {
                    var a = cluster.get(namespace, name);
                    if (a != null
                        && a.getStatus() != null
                        && a.getStatus().rollout != null
                        && a.getStatus().rollout.active()) {
                      lowestHealthy.accumulateAndGet(sim.healthyInService(group), Math::min);
                    }
                  });
              cluster.edit(namespace, name, a -> a.getSpec().instanceType = newType);
            },
            status(
                a -> {
                  if (!(ready(a)
                      && typesInService().keySet().equals(Set.of(newType))
                      && a.getStatus().rollout != null
                      && "Successful".equals(a.getStatus().rollout.status))) {
                    return false;
                  }
                  int desired =
                      a.getStatus().desiredCapacity == null ? min : a.getStatus().desiredCapacity;
                  // AWS's guarantee: with no room above desired (max 100%), one instance at a time
                  // must go.
                  int floor = (int) Math.ceil(desired * minHealthyPct / 100.0);
                  if (maxHealthyPct <= 100) {
                    floor = Math.min(floor, desired - 1);
                  }
                  if (lowestHealthy.get() < floor) {
                    throw new StepFailed(
                        "only "
                            + lowestHealthy.get()
                            + " healthy instance(s) in service during the"
                            + " rollout, below "
                            + minHealthyPct
                            + "% of "
                            + desired);
                  }
                  out.println(
                      "    lowest healthy in service during the rollout: "
                          + lowestHealthy.get()
                          + " (floor "
                          + floor
                          + ")");
                  return true;
                }),
            Duration.ofHours(2),
            null));
    return steps;
  }

  private List<Step> emulatorStory() {
    int min = app.getSpec().capacity.min;
    var steps = new ArrayList<Step>();
    steps.add(
        new Step(
            "kubectl apply (subnets replaced by the emulator's)",
            () -> cluster.apply(app),
            status(a -> true),
            Duration.ofMinutes(1),
            null));
    steps.add(
        new Step(
            "the fleet comes up: " + min + " instances InService",
            () -> {},
            status(a -> ready(a) && a.getStatus().replicas >= min),
            Duration.ofMinutes(2),
            null));
    steps.add(
        new Step(
            "CPU load and target-tracking scale-out",
            null,
            null,
            null,
            "an emulator has no CPU signal and runs no scaling policies"));
    steps.add(
        new Step(
            "kubectl scale --replicas " + (min + 1),
            () ->
                cluster.edit(
                    namespace,
                    name,
                    a ->
                        a.getSpec().capacity.desired = Math.min(a.getSpec().capacity.max, min + 1)),
            status(
                a ->
                    ready(a)
                        && a.getStatus().desiredCapacity != null
                        && a.getStatus().desiredCapacity
                            == Math.min(app.getSpec().capacity.max, min + 1)),
            Duration.ofMinutes(2),
            null));
    steps.add(
        new Step(
            "rolling instance-type change",
            null,
            null,
            null,
            "moto has no instance refresh (StartInstanceRefresh answers HTTP 500)"));
    steps.add(
        new Step(
            "kubectl delete: every AWS resource removed",
            () ->
                cluster
                    .client()
                    .resources(ScalableApp.class)
                    .inNamespace(namespace)
                    .withName(name)
                    .delete(),
            a -> a == null && awsResourcesGone(),
            Duration.ofMinutes(2),
            null));
    return steps;
  }

  static String nextSize(String type) {
    List<String> sizes = List.of("nano", "micro", "small", "medium", "large", "xlarge", "2xlarge");
    int dot = type.indexOf('.');
    int i = sizes.indexOf(type.substring(dot + 1));
    return type.substring(0, dot + 1)
        + (i >= 0 && i + 1 < sizes.size() ? sizes.get(i + 1) : "large");
  }

  private static final class StepFailed extends RuntimeException {
    StepFailed(String message) {
      super(message);
    }
  }

  private static boolean ready(ScalableApp a) {
    return a.getStatus().phase == Phase.Ready
        && a.getMetadata().getGeneration().equals(a.getStatus().observedGeneration);
  }

  /**
   * Waits for {@code done} within {@code budget} of the sandbox's time (and at least a few real
   * seconds, since the operator itself runs in real time); null, or why it failed.
   */
  private String await(Predicate<ScalableApp> done, Duration budget) {
    Instant deadline = clock.instant().plus(budget);
    long realFloor = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    long realDeadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
    while (true) {
      ScalableApp current = cluster.get(namespace, name);
      show(current);
      try {
        if (done.test(current)) {
          return null;
        }
      } catch (StepFailed e) {
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

  private boolean awsResourcesGone() {
    var names = AppNames.of(namespace, name);
    var c = cloud.forRegion(app.getSpec().region);
    return c.autoScalingGroups().find(names.autoScalingGroup()).isEmpty()
        && c.launchTemplates().find(names.launchTemplate()).isEmpty()
        && c.targetGroups().find(names.targetGroup()).isEmpty();
  }

  // ------------------------------------------------------------------ what a user sees

  static final String HEADER_FORMAT = "%-11s %-22s %-10s %-4s %-4s %-8s %-6s %-13s %-10s %s%n";

  private void show(ScalableApp a) {
    if (a == null) {
      return;
    }
    printEvents();
    var s = a.getStatus();
    String row =
        String.format(
            HEADER_FORMAT.replace("%n", ""),
            "",
            a.getMetadata().getName(),
            a.getSpec().instanceType,
            a.getSpec().capacity.min,
            a.getSpec().capacity.max,
            s == null || s.desiredCapacity == null ? "" : s.desiredCapacity,
            s == null || s.replicas == null ? "" : s.replicas,
            s == null || s.phase == null ? "" : s.phase,
            s == null || s.loadBalancer == null || s.loadBalancer.dnsName == null
                ? ""
                : s.loadBalancer.dnsName,
            "");
    if (lastRow.isEmpty()) {
      out.printf(
          HEADER_FORMAT,
          "TIME",
          "NAME",
          "TYPE",
          "MIN",
          "MAX",
          "DESIRED",
          "READY",
          "STATUS",
          "ENDPOINT",
          "");
    }
    if (!row.equals(lastRow)) {
      lastRow = row;
      out.println(String.format("%-11s", "+" + elapsed()) + row.substring(11).stripTrailing());
    }
    String aws = awsLine();
    if (aws != null && !aws.equals(lastAws)) {
      lastAws = aws;
      out.println(String.format("%-11s", "+" + elapsed()) + "  aws: " + aws);
    }
  }

  private void printEvents() {
    for (Event e : cluster.client().v1().events().inNamespace(namespace).list().getItems()) {
      if (seenEvents.add(e.getMetadata().getName())) {
        out.println(
            String.format("%-11s", "+" + elapsed())
                + "  event: "
                + e.getType()
                + " "
                + e.getReason()
                + ": "
                + e.getMessage());
      }
    }
  }

  private String awsLine() {
    if (sim == null) {
      return null;
    }
    return sim.view(group)
        .map(
            v -> {
              var zones = new ArrayList<String>();
              v.inServiceByZoneAndType()
                  .forEach(
                      (zone, types) ->
                          zones.add(
                              zone
                                  + ": "
                                  + String.join(
                                      ", ",
                                      types.entrySet().stream()
                                          .map(t -> t.getValue() + " x " + t.getKey())
                                          .toList())));
              return (zones.isEmpty() ? "no instances in service" : String.join(" | ", zones))
                  + " | healthy targets "
                  + v.healthyTargets()
                  + " | cpu "
                  + Math.round(v.averageCpu())
                  + "%"
                  + (v.refresh() == null ? "" : " | refresh " + v.refresh());
            })
        .orElse("no Auto Scaling Group yet");
  }

  private long zonesInService() {
    return sim.view(group).map(v -> v.inServiceByZoneAndType().size()).orElse(0);
  }

  private int healthyTargets() {
    return sim.view(group).map(SimulatedCloud.GroupView::healthyTargets).orElse(0);
  }

  private Map<String, Long> typesInService() {
    return sim.view(group).map(SimulatedCloud.GroupView::inServiceByType).orElse(Map.of());
  }

  private String elapsed() {
    long s = Duration.between(start, clock.instant()).toSeconds();
    return String.format("%02d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60);
  }

  private void keepServing() {
    try {
      Files.writeString(options.kubeconfig(), kubeconfig(cluster.url()));
    } catch (IOException e) {
      out.println("sandbox: cannot write " + options.kubeconfig() + ": " + e.getMessage());
    }
    out.println(
        """

        sandbox: staying up (--keep). The embedded API serves %s; kubeconfig: %s
          KUBECONFIG=%s kubectl get --raw /apis/scalableapp.io/v1alpha1/namespaces/%s/scalableapps/%s
          KUBECONFIG=%s kubectl get --raw /api/v1/namespaces/%s/events
        It is fabric8's mock server: reads, creates, merge patches and deletes of stored objects work;
        it serves no API discovery, table output or validation, so `kubectl get sapp` and `kubectl
        apply` (which need discovery) do not work against it. Press Ctrl-C to stop.\
        """
            .formatted(
                cluster.url(),
                options.kubeconfig(),
                options.kubeconfig(),
                namespace,
                name,
                options.kubeconfig(),
                namespace));
    while (true) {
      show(cluster.get(namespace, name));
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
