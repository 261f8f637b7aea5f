package io.scalableapp.operator.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.scalableapp.operator.api.ScalableApp;
import io.scalableapp.operator.cloud.HealthCheckType;
import io.scalableapp.operator.cloud.LaunchTemplateData;
import io.scalableapp.operator.cloud.LifecycleState;
import io.scalableapp.operator.cloud.LoadBalancerConfig;
import io.scalableapp.operator.cloud.ObservedGroup;
import io.scalableapp.operator.cloud.ObservedInstance;
import io.scalableapp.operator.cloud.ObservedLaunchTemplate;
import io.scalableapp.operator.cloud.ObservedLoadBalancer;
import io.scalableapp.operator.cloud.ObservedRefresh;
import io.scalableapp.operator.cloud.ObservedTargetGroup;
import io.scalableapp.operator.cloud.RefreshStatus;
import io.scalableapp.operator.cloud.Subnet;
import io.scalableapp.operator.cloud.Tags;
import io.scalableapp.operator.cloud.TargetGroupConfig.HealthCheckConfig;
import io.scalableapp.operator.observe.ObservedApp;
import io.scalableapp.operator.testing.Apps;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The planners' test world: the app {@link #BASE} (2..4 t3.micro, a target group, a CPU policy at
 * 50%) and AWS holding exactly what it asks for ({@link #converged()}), with small changes by name.
 */
final class PlanFixtures {
  static final String NS = "hr";
  static final String NAME = "directory";
  static final List<String> SUBNETS = List.of("subnet-0000000a", "subnet-0000000b");
  static final String LT_ID = "lt-0123456789abcdef0";
  static final String TG_ARN =
      "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/x/1";
  static final String LB_ARN =
      "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/x/1";
  static final List<String> PUBLIC = List.of("subnet-000000pa", "subnet-000000pb");
  static final Map<String, String> OURS = Tags.forApp(NS + "/" + NAME, Map.of("team", "hr"));
  static final Map<String, String> FOREIGN = Map.of(Tags.OWNER, "payroll/directory");

  /** The app's tags and these. */
  static Map<String, String> withOurs(Map<String, String> more) {
    var tags = new HashMap<>(OURS);
    tags.putAll(more);
    return tags;
  }

  /** What AWS reports for a new HTTP target group of instances. */
  static final Map<String, String> AWS_TARGET_GROUP_ATTRIBUTES =
      Map.of(
          "deregistration_delay.timeout_seconds", "300",
          "slow_start.duration_seconds", "0",
          "stickiness.enabled", "false",
          "load_balancing.algorithm.type", "round_robin");

  static final DesiredApp BASE = desired(a -> {});

  /** BASE with a load balancer over {@link #PUBLIC}. */
  static final DesiredApp WITH_LB =
      desired(
          a -> {
            a.getSpec().loadBalancer = new io.scalableapp.operator.api.LoadBalancerSpec();
            a.getSpec().loadBalancer.subnetIds = PUBLIC;
            a.getSpec().loadBalancer.securityGroupIds = List.of("sg-0000000c");
          });

  private PlanFixtures() {}

  static DesiredApp desired(Consumer<ScalableApp> change) {
    var app = Apps.web(NS, NAME, SUBNETS);
    change.accept(app);
    return DesiredApp.from(app);
  }

  /** AWS holding exactly what {@link #BASE} asks for, with 2 instances InService on version 1. */
  static ObservedApp converged() {
    return ObservedApp.builder()
        .subnets(
            List.of(
                new Subnet(SUBNETS.get(0), "vpc-1", "us-east-1a"),
                new Subnet(SUBNETS.get(1), "vpc-1", "us-east-1b")))
        .launchTemplate(template(1, 1, "t3.micro"))
        .targetGroup(targetGroup(healthCheck(BASE), OURS))
        .group(group(2, 4, 2, 1))
        .policy(ScalingPolicyPlanner.desired(BASE.spec(), BASE.names().policy()).orElseThrow())
        .build();
  }

  static HealthCheckConfig healthCheck(DesiredApp d) {
    return TargetGroupPlanner.desired(d.spec().targetGroup, "tg", "vpc-1").healthCheck();
  }

  static ObservedTargetGroup targetGroup(HealthCheckConfig hc, Map<String, String> tags) {
    return new ObservedTargetGroup(
        TG_ARN,
        TargetGroupPlanner.desired(BASE.spec().targetGroup, BASE.names().targetGroup(), "vpc-1")
            .withHealthCheck(hc),
        tags,
        2,
        AWS_TARGET_GROUP_ATTRIBUTES);
  }

  /** The app's template at {@code latest}, its latest version holding BASE with this type. */
  static ObservedLaunchTemplate template(long latest, long defaultVersion, String instanceType) {
    return template(latest, defaultVersion, instanceType, OURS);
  }

  static ObservedLaunchTemplate template(
      long latest, long defaultVersion, String instanceType, Map<String, String> tags) {
    var d = LaunchTemplatePlanner.desired(BASE.spec());
    var data =
        new LaunchTemplateData(
            d.imageId(),
            instanceType,
            d.userDataBase64(),
            d.instanceProfile(),
            d.securityGroupIds(),
            d.keyName(),
            d.rootVolume(),
            BASE.tags(),
            BASE.tags());
    return new ObservedLaunchTemplate(
        LT_ID, BASE.names().launchTemplate(), tags, latest, defaultVersion, data);
  }

  /** The app's group, on {@code version} with {@code desired} instances InService on it. */
  static ObservedGroup group(int min, int max, int desired, long version) {
    var instances = new ArrayList<ObservedInstance>();
    for (int i = 0; i < desired; i++) {
      instances.add(instance("i-" + i, LifecycleState.InService, version));
    }
    return group(min, max, desired, version, instances);
  }

  static ObservedGroup group(
      int min, int max, int desired, long version, List<ObservedInstance> instances) {
    return new ObservedGroup(
        BASE.names().autoScalingGroup(),
        "arn:asg",
        min,
        max,
        desired,
        SUBNETS,
        LT_ID,
        version,
        List.of(TG_ARN),
        HealthCheckType.ELB,
        OURS,
        instances,
        false,
        Set.of());
  }

  static ObservedInstance instance(String id, LifecycleState state, long version) {
    return new ObservedInstance(id, "us-east-1a", state, true, "t3.micro", version);
  }

  /** The group with another field changed: {@code g} copied by the caller. */
  static ObservedGroup copy(
      ObservedGroup g,
      List<String> subnets,
      List<String> targetGroups,
      HealthCheckType check,
      Map<String, String> tags,
      boolean deleting) {
    return new ObservedGroup(
        g.name(),
        g.arn(),
        g.min(),
        g.max(),
        g.desired(),
        subnets,
        g.launchTemplateId(),
        g.launchTemplateVersion(),
        targetGroups,
        check,
        tags,
        g.instances(),
        deleting,
        g.unpropagatedTags());
  }

  static ObservedRefresh refresh(String id, RefreshStatus status, long target) {
    return new ObservedRefresh(
        id,
        status,
        status == RefreshStatus.Failed ? "instances failed health checks" : null,
        40,
        2,
        target,
        Instant.parse("2026-01-01T00:00:00Z"),
        null);
  }

  static ObservedLoadBalancer loadBalancer(
      String scheme,
      List<String> subnets,
      List<ObservedLoadBalancer.Listener> listeners,
      Map<String, String> tags) {
    return new ObservedLoadBalancer(
        LB_ARN,
        "x.elb.amazonaws.com",
        new LoadBalancerConfig(
            BASE.names().loadBalancer(), scheme, subnets, List.of("sg-0000000c")),
        tags,
        "active",
        listeners);
  }

  static ObservedLoadBalancer.Listener listener(int port, String targetGroupArn) {
    return new ObservedLoadBalancer.Listener(
        "arn:listener/" + port, port, "HTTP", targetGroupArn, OURS);
  }

  /** One partial planner's decisions and its result. */
  record Run(Optional<?> result, PlanContext context) {
    List<String> kinds() {
      return all().stream().map(a -> a.getClass().getSimpleName()).toList();
    }

    /** Asserts the actions, in order, each as {@code Kind} or {@code Kind:part of its reason}. */
    void assertActions(List<String> expected) {
      List<Action> actions = all();
      assertThat(kinds()).hasSize(expected.size());
      for (int i = 0; i < expected.size(); i++) {
        String[] kindAndReason = expected.get(i).split(":", 2);
        assertThat(actions.get(i).getClass().getSimpleName()).isEqualTo(kindAndReason[0]);
        if (kindAndReason.length > 1) {
          assertThat(actions.get(i).reason()).contains(kindAndReason[1]);
        }
      }
    }

    /** Changes, then removals. */
    List<Action> all() {
      var out = new ArrayList<Action>(context.actions());
      out.addAll(context.removals());
      return out;
    }
  }

  /** Runs one partial planner alone, its dependencies' results given. */
  static Run run(
      PartialPlanner<?> planner,
      DesiredApp desired,
      ObservedApp observed,
      Memory memory,
      Map<Class<? extends PartialPlanner<?>>, Optional<?>> ready) {
    var c = new PlanContext(desired, observed, memory, ready);
    return new Run(planner.plan(c), c);
  }

  /** The results a converged app's dependencies give. */
  static Map<Class<? extends PartialPlanner<?>>, Optional<?>> readyConverged() {
    var ready = new HashMap<Class<? extends PartialPlanner<?>>, Optional<?>>();
    ready.put(
        LaunchTemplatePlanner.class, Optional.of(new LaunchTemplatePlanner.Version(LT_ID, 1)));
    ready.put(TargetGroupPlanner.class, Optional.of(TargetGroupPlanner.Serving.only(TG_ARN)));
    ready.put(GroupPlanner.class, Optional.of(group(2, 4, 2, 1)));
    ready.put(RolloutPlanner.class, Optional.of(new LaunchTemplatePlanner.Version(LT_ID, 1)));
    return ready;
  }

  /** {@link #readyConverged()} with one capability's result replaced. */
  static Map<Class<? extends PartialPlanner<?>>, Optional<?>> readyWith(
      Class<? extends PartialPlanner<?>> capability, Optional<?> result) {
    var ready = readyConverged();
    ready.put(capability, result);
    return ready;
  }

  /** Runs one partial planner's deletion. */
  static DeletionContext delete(PartialPlanner<?> planner, ObservedApp observed, boolean gone) {
    var c = new DeletionContext(BASE.ownerKey(), BASE.names(), observed);
    if (planner.delete(c) != gone) {
      throw new AssertionError(
          planner.getClass().getSimpleName() + ".delete should return " + gone);
    }
    return c;
  }

  static List<String> kinds(List<Action> actions) {
    return actions.stream().map(a -> a.getClass().getSimpleName()).toList();
  }
}
