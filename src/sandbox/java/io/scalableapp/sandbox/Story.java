package io.scalableapp.sandbox;

import io.scalableapp.operator.api.Capacity;
import io.scalableapp.operator.api.Condition;
import io.scalableapp.operator.api.InstancesSpec;
import io.scalableapp.operator.api.ScalableApp;
import io.scalableapp.operator.api.ScalableAppStatus.Phase;
import io.scalableapp.operator.cloud.CloudProvider;
import io.scalableapp.operator.cloud.InstancesPolicy;
import io.scalableapp.operator.cloud.RefreshPreferences;
import io.scalableapp.operator.cloud.RefreshStatus;
import io.scalableapp.operator.plan.AppNames;
import io.scalableapp.operator.plan.Instances;
import io.scalableapp.operator.plan.RolloutPlanner;
import io.scalableapp.operator.status.Reason;
import io.scalableapp.sandbox.sim.SimulatedCloud;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The employee directory's story, step by step, as a user lives it: apply, the fleet comes up, CPU
 * load scales it out and back in, an instance-type change rolls through it, and a bad release is
 * rolled back. Against an emulator, the steps it can play.
 */
final class Story {
  /**
   * One observed step of the story.
   *
   * @param done whether the step is observed; given the app (null once it is gone)
   * @param skipped why the step cannot be played here, or null
   */
  record Step(
      String title, Runnable act, Predicate<ScalableApp> done, Duration budget, String skipped) {

    static Step skipped(String title, String why) {
      return new Step(title, null, null, null, why);
    }
  }

  /** A step that cannot succeed any more, and why. */
  static final class StepFailed extends RuntimeException {
    StepFailed(String message) {
      super(message);
    }
  }

  /** A bad release's image: its instances never pass their health checks. */
  static final String BAD_IMAGE = "ami-0badbadbadbadbad0";

  private final ScalableApp app;
  private final String manifestName;
  private final EmbeddedCluster cluster;
  private final String namespace;
  private final String name;
  private final String group;

  Story(ScalableApp app, String manifestName, EmbeddedCluster cluster) {
    this.app = app;
    this.manifestName = manifestName;
    this.cluster = cluster;
    this.namespace = app.getMetadata().getNamespace();
    this.name = app.getMetadata().getName();
    this.group = AppNames.of(namespace, name).autoScalingGroup();
  }

  /** A condition on an app that exists and has a status. */
  static Predicate<ScalableApp> status(Predicate<ScalableApp> p) {
    return a -> a != null && a.getStatus() != null && p.test(a);
  }

  static boolean ready(ScalableApp a) {
    return a.getStatus().phase == Phase.Ready
        && a.getMetadata().getGeneration().equals(a.getStatus().observedGeneration);
  }

  /** The story on the simulated cloud, whose console the steps read and whose load they set. */
  List<Step> simulated(SimulatedCloud sim, TimeDriver time, Console console, String newType) {
    Capacity c = app.getSpec().capacity;
    int min = c.min;
    int max = c.max;
    long zones = app.getSpec().subnetIds.size() > 1 ? 2 : 1;
    var steps = new ArrayList<Step>();
    steps.add(
        new Step(
            "kubectl apply -f " + manifestName,
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
                        && view(sim).map(v -> v.inServiceByZoneAndType().size()).orElse(0) >= zones
                        && (app.getSpec().targetGroup == null
                            || view(sim).map(v -> v.healthyTargets()).orElse(0) >= min)
                        && (app.getSpec().loadBalancer == null
                            || (a.getStatus().loadBalancer != null
                                && a.getStatus().loadBalancer.dnsName != null))),
            Duration.ofMinutes(30),
            null));
    if (app.getSpec().scaling == null) {
      String why = "spec.scaling is unset: there is no CPU policy to scale on";
      steps.add(Step.skipped("CPU load on every instance (the app's stress button)", why));
      steps.add(Step.skipped("the load stops", why));
    } else {
      steps.add(
          new Step(
              "CPU load on every instance (the app's stress button): the policy scales out to max "
                  + max,
              () -> sim.faults().setCpuDemand(group, (max + 1) * 100.0),
              status(a -> desiredAndReady(a, max)),
              Duration.ofHours(1),
              null));
      steps.add(
          new Step(
              "the load stops: the policy scales back in to min " + min,
              () -> sim.faults().setCpuDemand(group, 5.0 * min),
              status(a -> desiredAndReady(a, min)),
              Duration.ofHours(2),
              null));
    }
    InstancesPolicy mix = Instances.desired(app.getSpec());
    if (mix != null && mix.usesSpot()) {
      steps.add(spotInterruption(sim, time, console));
    }
    if (app.getSpec().warmPool != null) {
      steps.add(warmScaleOut(sim, time, console));
    }
    watchHealthy(sim, time);
    if (mix != null && mix.requirements() != null) {
      steps.add(
          Step.skipped(
              "rolling instance-type change",
              "spec.instances.requirements: AWS picks the types that meet them"));
      return steps;
    }
    if (app.getSpec().imageParameter() != null && app.getSpec().followsImageParameter()) {
      steps.add(newImage(sim, console));
    }
    Set<String> newTypes = newTypes(newType);
    steps.add(typeChange(sim, console, newTypes));
    steps.add(badRelease(sim, console, newTypes));
    if (app.getSpec().targetGroup != null) {
      steps.add(goodRelease(sim, newTypes));
    }
    return steps;
  }

  /**
   * The types after the type change: {@code newType} for an app with spec.instanceType, else each
   * listed type one size up (the first one {@code newType} when it was given).
   */
  Set<String> newTypes(String newType) {
    if (app.getSpec().instanceType != null) {
      return Set.of(newType);
    }
    var types = new java.util.LinkedHashSet<String>();
    app.getSpec().instances.types.forEach(t -> types.add(nextSize(t.type)));
    String first = nextSize(app.getSpec().instances.types.get(0).type);
    if (newType != null && !newType.equals(first)) {
      types.remove(first);
      var withNew = new java.util.LinkedHashSet<String>();
      withNew.add(newType);
      withNew.addAll(types);
      return withNew;
    }
    return types;
  }

  /** The type the default type change goes to: one size up of the app's (first) type. */
  static String defaultNewType(ScalableApp app) {
    String type =
        app.getSpec().instanceType != null
            ? app.getSpec().instanceType
            : app.getSpec().instances != null && app.getSpec().instances.types != null
                ? app.getSpec().instances.types.get(0).type
                : null;
    return type == null ? null : nextSize(type);
  }

  /**
   * EC2 reclaims a Spot instance. With capacity rebalancing the group launches a replacement on the
   * rebalance recommendation and lets the instance go once the replacement is in service, so the
   * fleet never runs short; without it, the interruption takes the instance first.
   */
  private Step spotInterruption(SimulatedCloud sim, TimeDriver time, Console console) {
    boolean rebalance = Instances.capacityRebalance(app.getSpec());
    var lowest = new AtomicInteger(Integer.MAX_VALUE);
    var before = new ArrayList<String>();
    var desired = new AtomicInteger();
    time.onTick(
        () -> {
          if (!before.isEmpty()) {
            lowest.accumulateAndGet(inService(sim), Math::min);
          }
        });
    return new Step(
        "EC2 interrupts a Spot instance (a rebalance recommendation, then the interruption): "
            + (rebalance
                ? "capacity rebalancing launches its replacement first"
                : "no capacity rebalancing, so the fleet runs one short until it is replaced"),
        () -> {
          var a = cluster.get(namespace, name);
          desired.set(a.getStatus().desiredCapacity == null ? 0 : a.getStatus().desiredCapacity);
          before.addAll(spotIds(sim));
          if (before.isEmpty()) {
            throw new StepFailed("no Spot instance in service to interrupt");
          }
          lowest.set(inService(sim));
          sim.faults().interruptSpot(group);
        },
        status(
            a -> {
              List<String> now = spotIds(sim);
              boolean replaced =
                  ready(a)
                      && a.getStatus().replicas >= desired.get()
                      && sim.healthyInService(group) >= desired.get()
                      && !now.containsAll(before);
              if (!replaced) {
                return false;
              }
              if (rebalance && lowest.get() < desired.get()) {
                throw new StepFailed(
                    "only "
                        + lowest.get()
                        + " instance(s) in service through the interruption, below "
                        + desired.get());
              }
              console.println(
                  "    Spot instance(s) "
                      + before
                      + " -> "
                      + now
                      + "; fewest in service meanwhile: "
                      + lowest.get()
                      + " of "
                      + desired.get()
                      + (rebalance ? " (replaced before it went)" : ""));
              return true;
            }),
        Duration.ofMinutes(30),
        null);
  }

  private int inService(SimulatedCloud sim) {
    return (int)
        view(sim)
            .map(v -> v.inServiceByType().values().stream().mapToLong(n -> n).sum())
            .orElse(0L)
            .longValue();
  }

  /** The group's Spot instances in service, as EC2 reports them. */
  private List<String> spotIds(SimulatedCloud sim) {
    var c = sim.forRegion(app.getSpec().region);
    List<String> ids =
        c.autoScalingGroups().find(group).stream()
            .flatMap(g -> g.instances().stream())
            .filter(i -> i.inService())
            .map(i -> i.id())
            .toList();
    return c.purchases().spot(ids).stream().sorted().toList();
  }

  /**
   * Scale-out by the warm pool's ready instances and one more: the warm ones only have to start
   * (their user data ran when they were prepared), the extra one is a cold launch that boots and
   * initialises. The console shows how long each kind took to come into service.
   */
  private Step warmScaleOut(SimulatedCloud sim, TimeDriver time, Console console) {
    var warmIds = new java.util.HashSet<String>();
    var known = new java.util.HashSet<String>();
    var inServiceAt = new java.util.concurrent.ConcurrentHashMap<String, java.time.Instant>();
    var start = new java.util.concurrent.atomic.AtomicReference<java.time.Instant>();
    var wanted = new AtomicInteger();
    time.onTick(
        () -> {
          if (start.get() == null) {
            return;
          }
          sim.forRegion(app.getSpec().region).autoScalingGroups().find(group).stream()
              .flatMap(g -> g.instances().stream())
              .filter(i -> i.inService() && !known.contains(i.id()))
              .forEach(i -> inServiceAt.putIfAbsent(i.id(), sim.clock().instant()));
        });
    return new Step(
        "scale-out served from the warm pool: its ready instances only start, a cold launch boots"
            + " and runs its user data",
        () -> {
          var a = cluster.get(namespace, name);
          warmIds.addAll(view(sim).map(SimulatedCloud.GroupView::warmReady).orElse(List.of()));
          instanceIds(sim).forEach(known::add);
          int want = Math.min(app.getSpec().capacity.max, known.size() + warmIds.size() + 1);
          if (warmIds.isEmpty() || want <= known.size()) {
            throw new StepFailed("no ready warm instance, or no room up to max, to scale out");
          }
          wanted.set(want);
          start.set(sim.clock().instant());
          cluster.edit(namespace, name, x -> x.getSpec().capacity.desired = want);
        },
        status(
            a -> {
              // Judged from the instances themselves: the CPU policy may scale in again soon.
              var warm = new ArrayList<Duration>();
              var cold = new ArrayList<Duration>();
              inServiceAt.forEach(
                  (id, at) ->
                      (warmIds.contains(id) ? warm : cold).add(Duration.between(start.get(), at)));
              if (warm.isEmpty() || cold.isEmpty() || sim.healthyInService(group) < wanted.get()) {
                return false;
              }
              Duration slowestWarm = warm.stream().max(Duration::compareTo).orElseThrow();
              Duration fastestCold = cold.stream().min(Duration::compareTo).orElseThrow();
              if (slowestWarm.compareTo(fastestCold) >= 0) {
                throw new StepFailed(
                    "warm instances took " + slowestWarm + ", no faster than a cold launch");
              }
              console.println(
                  "    "
                      + warm.size()
                      + " from the warm pool in service after "
                      + slowestWarm.toSeconds()
                      + " s; "
                      + cold.size()
                      + " cold launch(es) after "
                      + fastestCold.toSeconds()
                      + " s");
              return true;
            }),
        Duration.ofMinutes(30),
        null);
  }

  /**
   * The worst moment of a rollout, sampled on every time step while AWS's instance refresh runs:
   * the healthy instances in service then, and the desired capacity then (the CPU policy may change
   * it meanwhile). The rollout steps check it against what AWS guarantees.
   */
  private record Sample(int healthy, int desired) {
    static final Sample NONE = new Sample(Integer.MAX_VALUE, 0);

    /** Healthy instances above the floor AWS keeps: negative when the rollout went below it. */
    int margin(RefreshPreferences prefs) {
      return this == NONE ? Integer.MAX_VALUE : healthy - floor(desired, prefs);
    }

    /**
     * The minimum healthy percentage of desired capacity, and with no room above desired (max 100%)
     * one instance less, since one at a time must go.
     */
    static int floor(int desired, RefreshPreferences prefs) {
      int floor = (int) Math.ceil(desired * prefs.minHealthyPercentage() / 100.0);
      return prefs.maxHealthyPercentage() <= 100 ? Math.min(floor, desired - 1) : floor;
    }
  }

  private final AtomicReference<Sample> worst = new AtomicReference<>(Sample.NONE);

  private void watchHealthy(SimulatedCloud sim, TimeDriver time) {
    var prefs = RolloutPlanner.preferences(app.getSpec());
    time.onTick(
        () ->
            view(sim)
                .filter(v -> v.refresh() != null && refreshRunning(v.refresh()))
                .ifPresent(
                    v ->
                        worst.accumulateAndGet(
                            new Sample(v.healthyInService(), v.desired()),
                            (a, b) -> b.margin(prefs) < a.margin(prefs) ? b : a)));
  }

  /** Whether a simulated refresh ("InProgress toward v2") is replacing instances. */
  private static boolean refreshRunning(String described) {
    var status = RefreshStatus.of(described.substring(0, described.indexOf(' ')));
    return status.active() && status != RefreshStatus.Baking;
  }

  /**
   * A patch that rolls out, observed once {@code done} holds and the fleet kept, all along AWS's
   * refresh, the healthy capacity AWS guarantees.
   */
  private Step rollout(
      String title, Consumer<ScalableApp> patch, Predicate<ScalableApp> done, Console console) {
    return rollout(title, () -> cluster.edit(namespace, name, patch), done, console);
  }

  /** The same for a rollout that {@code act} starts (AWS publishing a new image, say). */
  private Step rollout(String title, Runnable act, Predicate<ScalableApp> done, Console console) {
    var prefs = RolloutPlanner.preferences(app.getSpec());
    return new Step(
        title,
        () -> {
          worst.set(Sample.NONE);
          act.run();
        },
        status(
            a -> {
              if (!done.test(a)) {
                return false;
              }
              Sample w = worst.get();
              if (w.margin(prefs) < 0) {
                throw new StepFailed(
                    "only "
                        + w.healthy()
                        + " healthy instance(s) in service during the rollout, below "
                        + prefs.minHealthyPercentage()
                        + "% of "
                        + w.desired());
              }
              console.println(
                  w == Sample.NONE
                      ? "    no instance replaced"
                      : "    lowest healthy in service during the rollout: "
                          + w.healthy()
                          + " (floor "
                          + Sample.floor(w.desired(), prefs)
                          + ")");
              return true;
            }),
        Duration.ofHours(2),
        null);
  }

  /** An image AWS publishes under the app's SSM parameter (made up, in the AMI id format). */
  static final String PUBLISHED_IMAGE = "ami-0d2026d2026d2026d";

  /**
   * AWS publishes a new image under the parameter imageId names: the operator reads the new value
   * at its next poll and rolls it out like any launch-template change, with nothing changed in the
   * spec.
   */
  private Step newImage(SimulatedCloud sim, Console console) {
    String parameter = app.getSpec().imageParameter();
    return rollout(
        "AWS publishes a new image under "
            + parameter
            + ": the operator reads it and rolls it out, the spec unchanged",
        () -> sim.putParameter(parameter, PUBLISHED_IMAGE),
        a ->
            ready(a)
                && rolledOut(a)
                && a.getStatus().image != null
                && PUBLISHED_IMAGE.equals(a.getStatus().image.imageId)
                && a.getStatus().rollout.targetVersion != null
                && a.getStatus().rollout.targetVersion.equals(a.getStatus().launchTemplate.version),
        console);
  }

  private Step typeChange(SimulatedCloud sim, Console console, Set<String> newTypes) {
    boolean single = app.getSpec().instanceType != null;
    String what =
        single
            ? "instanceType " + app.getSpec().instanceType + " -> " + newTypes.iterator().next()
            : "instances.types "
                + app.getSpec().instances.types.stream().map(t -> t.type).toList()
                + " -> "
                + List.copyOf(newTypes);
    return rollout(
        "kubectl patch: "
            + what
            + ": a rolling replacement keeping "
            + RolloutPlanner.preferences(app.getSpec()).minHealthyPercentage()
            + "% healthy",
        a -> {
          if (single) {
            a.getSpec().instanceType = newTypes.iterator().next();
          } else {
            a.getSpec().instances.types =
                newTypes.stream().map(t -> new InstancesSpec.InstanceTypeSpec(t, null)).toList();
          }
        },
        a -> ready(a) && rolledOut(a) && runsOnly(sim, newTypes),
        console);
  }

  /** Every instance in service is of one of these types. */
  private boolean runsOnly(SimulatedCloud sim, Set<String> types) {
    var running = typesInService(sim).keySet();
    return !running.isEmpty() && types.containsAll(running);
  }

  /**
   * A release whose app never answers its health check: with ELB health checks AWS replaces the new
   * instances, fails the refresh and (autoRollback) rolls back, while the old instances keep
   * serving; the app says so.
   */
  private Step badRelease(SimulatedCloud sim, Console console, Set<String> runningTypes) {
    String title =
        "kubectl patch: imageId -> "
            + BAD_IMAGE
            + ", a release whose app never passes its health check: AWS "
            + (RolloutPlanner.preferences(app.getSpec()).autoRollback()
                ? "rolls it back"
                : "fails the rollout");
    if (app.getSpec().targetGroup == null) {
      return Step.skipped(title, "no spec.targetGroup: AWS cannot see the app's health");
    }
    Step step =
        rollout(
            title,
            a -> a.getSpec().imageId = BAD_IMAGE,
            a ->
                a.getStatus().condition(Condition.DEGRADED).filter(Condition::isTrue).isPresent()
                    && Set.of(Reason.RolledBack.name(), Reason.RolloutFailed.name())
                        .contains(a.getStatus().condition(Condition.DEGRADED).get().reason)
                    && a.getStatus().rollout != null
                    && !a.getStatus().rollout.active()
                    && runsOnly(sim, runningTypes),
            console);
    return new Step(
        step.title(),
        () -> {
          // The next version of the template is the bad release's.
          var lt = cluster.get(namespace, name).getStatus().launchTemplate;
          sim.faults().failHealthChecksOf(lt.id, lt.version + 1);
          step.act().run();
        },
        step.done(),
        step.budget(),
        null);
  }

  /**
   * Back to the good image: the spec changed, so there is a new version, but the instances (rolled
   * back) already run exactly that: the group switches to it and none is replaced; Ready again.
   */
  private Step goodRelease(SimulatedCloud sim, Set<String> runningTypes) {
    String image = app.getSpec().imageId;
    var before = new ArrayList<String>();
    return new Step(
        "kubectl patch: imageId -> "
            + image
            + " again: the instances already run it, so none is replaced; Ready",
        () -> {
          before.addAll(instanceIds(sim));
          cluster.edit(namespace, name, a -> a.getSpec().imageId = image);
        },
        status(
            a -> {
              if (!(ready(a)
                  && a.getStatus().launchTemplate != null
                  && a.getStatus().launchTemplate.version != null
                  && a.getStatus().rollout != null
                  && a.getStatus().launchTemplate.version > a.getStatus().rollout.targetVersion
                  && runsOnly(sim, runningTypes))) {
                return false;
              }
              // A replacement brings new instances; the CPU policy may scale in meanwhile.
              if (!before.containsAll(instanceIds(sim))) {
                throw new StepFailed(
                    "instances were replaced: " + before + " -> " + instanceIds(sim));
              }
              return true;
            }),
        Duration.ofHours(1),
        null);
  }

  private List<String> instanceIds(SimulatedCloud sim) {
    return sim.forRegion(app.getSpec().region).autoScalingGroups().find(group).stream()
        .flatMap(g -> g.instances().stream())
        .filter(i -> !i.leaving())
        .map(i -> i.id())
        .sorted()
        .toList();
  }

  private static boolean rolledOut(ScalableApp a) {
    return a.getStatus().rollout != null
        && a.getStatus().rollout.status != null
        && RefreshStatus.of(a.getStatus().rollout.status) == RefreshStatus.Successful;
  }

  /** The steps an emulator can play: apply, fleet up, scale, delete. */
  List<Step> emulator(CloudProvider cloud) {
    int min = app.getSpec().capacity.min;
    int scaled = Math.min(app.getSpec().capacity.max, min + 1);
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
        Step.skipped(
            "CPU load and target-tracking scale-out",
            "an emulator has no CPU signal and runs no scaling policies"));
    steps.add(
        new Step(
            "kubectl scale --replicas " + (min + 1),
            () -> cluster.edit(namespace, name, a -> a.getSpec().capacity.desired = scaled),
            status(
                a ->
                    ready(a)
                        && a.getStatus().desiredCapacity != null
                        && a.getStatus().desiredCapacity == scaled),
            Duration.ofMinutes(2),
            null));
    steps.add(
        Step.skipped(
            "rolling instance-type change",
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
            a -> a == null && awsResourcesGone(cloud),
            Duration.ofMinutes(2),
            null));
    return steps;
  }

  private boolean awsResourcesGone(CloudProvider cloud) {
    var names = AppNames.of(namespace, name);
    var c = cloud.forRegion(app.getSpec().region);
    return c.autoScalingGroups().find(names.autoScalingGroup()).isEmpty()
        && c.launchTemplates().find(names.launchTemplate()).isEmpty()
        && c.targetGroups().find(names.targetGroup()).isEmpty();
  }

  private static boolean desiredAndReady(ScalableApp a, int n) {
    return a.getStatus().desiredCapacity != null
        && a.getStatus().desiredCapacity == n
        && a.getStatus().replicas == n;
  }

  private Optional<SimulatedCloud.GroupView> view(SimulatedCloud sim) {
    return sim.view(group);
  }

  private Map<String, Long> typesInService(SimulatedCloud sim) {
    return view(sim).map(SimulatedCloud.GroupView::inServiceByType).orElse(Map.of());
  }

  /** The next size up of an instance type (t3.micro -> t3.small), or .large. */
  static String nextSize(String type) {
    List<String> sizes = List.of("nano", "micro", "small", "medium", "large", "xlarge", "2xlarge");
    int dot = type.indexOf('.');
    int i = sizes.indexOf(type.substring(dot + 1));
    return type.substring(0, dot + 1)
        + (i >= 0 && i + 1 < sizes.size() ? sizes.get(i + 1) : "large");
  }
}
