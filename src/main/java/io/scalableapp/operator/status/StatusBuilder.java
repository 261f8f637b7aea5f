package io.scalableapp.operator.status;

import io.scalableapp.operator.api.Condition;
import io.scalableapp.operator.api.ScalableAppStatus;
import io.scalableapp.operator.api.ScalableAppStatus.Phase;
import io.scalableapp.operator.cloud.CloudException;
import io.scalableapp.operator.cloud.ObservedGroup;
import io.scalableapp.operator.cloud.ObservedTargetGroup;
import io.scalableapp.operator.cloud.ObservedWarmPool;
import io.scalableapp.operator.cloud.RefreshStatus;
import io.scalableapp.operator.cloud.ScalingActivity;
import io.scalableapp.operator.observe.ObservedApp;
import io.scalableapp.operator.plan.Plan;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Builds the whole status in one place from an {@link Outcome}. Pure: the clock is a parameter. A
 * condition keeps its lastTransitionTime while its status and reason stay the same.
 */
public final class StatusBuilder {
  private StatusBuilder() {}

  public static ScalableAppStatus build(
      ScalableAppStatus previous, long generation, int minCapacity, Outcome o, Instant now) {
    return build(previous, generation, minCapacity, false, o, now);
  }

  /**
   * @param mixedInstances the spec chooses types through spec.instances: an AWS refusal of an
   *     instance type points there, not at spec.instanceType
   */
  public static ScalableAppStatus build(
      ScalableAppStatus previous,
      long generation,
      int minCapacity,
      boolean mixedInstances,
      Outcome o,
      Instant now) {
    var s = new ScalableAppStatus();
    s.observedGeneration = generation;
    s.appliedDesiredCapacity = o.memory().appliedDesired();
    s.region = o.memory().region();
    carryRefs(previous, s);
    if (o.observed() != null) {
      observedRefs(o.observed(), s);
    }
    if (s.launchTemplate != null) {
      s.launchTemplate.prunedThrough = o.memory().prunedThrough();
    }
    s.image = image(o);
    if (o.memory().failedVersion() != null) {
      if (s.rollout == null) {
        s.rollout = new ScalableAppStatus.RolloutStatus();
      }
      s.rollout.failedVersion = o.memory().failedVersion();
      s.rollout.failedInstances = o.memory().failedInstances();
    }
    s.plannedActions = o.remaining() == null ? List.of() : o.remaining().describe();

    Verdict v = verdict(o, s, minCapacity, previous, mixedInstances);
    s.phase = v.phase;
    var conditions = new ArrayList<Condition>();
    conditions.add(v.ready);
    conditions.add(v.progressing);
    conditions.add(v.degraded);
    // kstatus reads Reconciling (InProgress) before Stalled (Failed): a Degraded app is not
    // reconciling, whatever else is under way, so that it reads Failed.
    boolean stalled = v.degraded.isTrue();
    conditions.add(
        new Condition(
            Condition.RECONCILING,
            !stalled && v.progressing.isTrue(),
            v.progressing.reason,
            v.progressing.message));
    conditions.add(
        new Condition(Condition.STALLED, stalled, v.degraded.reason, v.degraded.message));
    for (Condition c : conditions) {
      c.observedGeneration = generation;
      c.lastTransitionTime =
          Optional.ofNullable(previous)
              .flatMap(p -> p.condition(c.type))
              .filter(p -> p.status.equals(c.status) && Objects.equals(p.reason, c.reason))
              .map(p -> p.lastTransitionTime)
              .orElse(now.truncatedTo(ChronoUnit.SECONDS).toString());
    }
    s.conditions = conditions;
    return s;
  }

  /** The image the spec's SSM parameter resolved to, and its value now when not rolled out. */
  private static ScalableAppStatus.ImageStatus image(Outcome o) {
    if (o.memory().imageParameter() == null) {
      return null;
    }
    var image = new ScalableAppStatus.ImageStatus();
    image.parameter = o.memory().imageParameter();
    image.imageId = o.memory().image();
    if (o.observed() != null) {
      o.observed()
          .parameterImage()
          .filter(now -> !now.equals(image.imageId))
          .ifPresent(now -> image.latest = now);
    }
    return image;
  }

  private record Verdict(Phase phase, Condition ready, Condition progressing, Condition degraded) {}

  private static Verdict verdict(
      Outcome o, ScalableAppStatus s, int min, ScalableAppStatus previous, boolean mixed) {
    if (!o.invalid().isEmpty()) {
      String msg = String.join("; ", o.invalid());
      return degraded(
          Reason.InvalidSpec, "the spec is invalid, nothing was changed in AWS: " + msg);
    }
    Plan plan = o.remaining();
    if (plan != null && plan.hasConflict()) {
      return degraded(Reason.OwnershipConflict, String.join("; ", plan.conflicts()));
    }
    if (o.error() != null) {
      CloudException e = o.error();
      Reason reason =
          e.is(CloudException.Kind.ACCESS_DENIED) ? Reason.AccessDenied : Reason.AwsError;
      return degraded(
          reason,
          AwsErrorField.of(e, mixed).map(field -> field + ": ").orElse("")
              + "AWS rejected "
              + e.getMessage());
    }
    if (plan != null && !plan.blocked().isEmpty()) {
      return degraded(Reason.UnsupportedChange, String.join("; ", plan.blocked()));
    }
    var rollout = s.rollout;
    Long latest =
        o.observed() == null
            ? null
            : o.observed().launchTemplate().map(lt -> lt.latestVersion()).orElse(null);
    if (!o.paused()
        && rollout != null
        && rollout.failedVersion != null
        && rollout.failedVersion.equals(latest)
        && !rollout.active()) {
      boolean rolledBack = rollout.status != null && RefreshStatus.of(rollout.status).rollingBack();
      return degraded(
          rolledBack ? Reason.RolledBack : Reason.RolloutFailed,
          "the rollout of launch template version "
              + rollout.failedVersion
              + " ended "
              + rollout.status
              + (rollout.statusReason == null ? "" : ": " + rollout.statusReason)
              + "; it is not retried until the spec changes");
    }
    if (!o.paused() && rollout != null && rollout.active()) {
      String msg =
          "rolling out launch template version "
              + rollout.targetVersion
              + ": "
              + rollout.status
              + (rollout.percentComplete == null ? "" : " " + rollout.percentComplete + "%")
              + (rollout.instancesToUpdate == null
                  ? ""
                  : ", " + rollout.instancesToUpdate + " instance(s) to update");
      return new Verdict(
          Phase.Updating,
          condition(Condition.READY, false, Reason.RollingOut, msg),
          condition(Condition.PROGRESSING, true, Reason.RollingOut, msg),
          condition(Condition.DEGRADED, false, Reason.AsExpected, "no errors"));
    }
    boolean converged = plan == null || (plan.isEmpty() && plan.waitingFor().isEmpty());
    int inService = s.replicas == null ? 0 : s.replicas;
    boolean groupExists = o.observed() != null && o.observed().group().isPresent();
    boolean ready = converged && groupExists && inService >= min;
    var ok = condition(Condition.DEGRADED, false, Reason.AsExpected, "no errors");
    if (o.paused()) {
      String msg =
          converged
              ? "paused; AWS matches the spec"
              : "paused; "
                  + plan.actions().size()
                  + " planned action(s) not applied (see status.plannedActions)";
      return new Verdict(
          Phase.Paused,
          condition(Condition.READY, ready, ready ? Reason.Ready : Reason.Paused, msg),
          condition(Condition.PROGRESSING, false, Reason.Paused, msg),
          ok);
    }
    boolean wasReady =
        previous != null
            && previous.phase != null
            && previous.phase != Phase.Pending
            && previous.phase != Phase.Provisioning;
    if (!converged) {
      String what =
          plan.isEmpty()
              ? String.join("; ", plan.waitingFor())
              : String.join("; ", plan.describe());
      Reason reason = groupExists || wasReady ? Reason.Updating : Reason.Provisioning;
      return new Verdict(
          groupExists || wasReady ? Phase.Updating : Phase.Provisioning,
          condition(Condition.READY, false, reason, what),
          condition(Condition.PROGRESSING, true, reason, what),
          ok);
    }
    String counts =
        inService
            + " of "
            + (s.desiredCapacity == null ? 0 : s.desiredCapacity)
            + " instances InService (min "
            + min
            + ")";
    var launchFailure =
        o.observed() == null ? Optional.<ScalingActivity>empty() : o.observed().launchFailure();
    if (!ready && launchFailure.isPresent()) {
      ScalingActivity a = launchFailure.get();
      return degraded(
          Reason.LaunchFailed,
          "AWS cannot launch instances ("
              + counts
              + "): "
              + (a.statusMessage() == null ? a.description() : a.statusMessage()));
    }
    if (!ready) {
      Reason reason = wasReady ? Reason.Scaling : Reason.Provisioning;
      return new Verdict(
          wasReady ? Phase.Updating : Phase.Provisioning,
          condition(Condition.READY, false, Reason.InsufficientCapacity, counts),
          condition(Condition.PROGRESSING, true, reason, counts),
          ok);
    }
    boolean scaling = s.desiredCapacity != null && inService != s.desiredCapacity;
    return new Verdict(
        Phase.Ready,
        condition(Condition.READY, true, Reason.Ready, "AWS matches the spec; " + counts),
        scaling
            ? condition(Condition.PROGRESSING, true, Reason.Scaling, counts)
            : condition(Condition.PROGRESSING, false, Reason.Stable, counts),
        ok);
  }

  private static Condition condition(String type, boolean status, Reason reason, String message) {
    return new Condition(type, status, reason.name(), message);
  }

  private static Verdict degraded(Reason reason, String message) {
    return new Verdict(
        Phase.Degraded,
        condition(Condition.READY, false, reason, message),
        condition(Condition.PROGRESSING, false, reason, message),
        condition(Condition.DEGRADED, true, reason, message));
  }

  private static void carryRefs(ScalableAppStatus previous, ScalableAppStatus s) {
    if (previous == null) {
      return;
    }
    s.launchTemplate = previous.launchTemplate;
    s.autoScalingGroup = previous.autoScalingGroup;
    s.targetGroup = previous.targetGroup;
    s.loadBalancer = previous.loadBalancer;
    if (previous.rollout != null) {
      var r = new ScalableAppStatus.RolloutStatus();
      r.id = previous.rollout.id;
      r.status = previous.rollout.status;
      r.statusReason = previous.rollout.statusReason;
      r.percentComplete = previous.rollout.percentComplete;
      r.instancesToUpdate = previous.rollout.instancesToUpdate;
      r.targetVersion = previous.rollout.targetVersion;
      r.startedAt = previous.rollout.startedAt;
      s.rollout = r.id == null ? null : r;
    }
    s.replicas = previous.replicas;
    s.desiredCapacity = previous.desiredCapacity;
    s.availabilityZones = previous.availabilityZones;
    s.zoneSummary = previous.zoneSummary;
  }

  /**
   * The app's target group that serves: the one the listener forwards to, else the one the group
   * has (while one replaces another, both exist).
   */
  private static Optional<ObservedTargetGroup> serving(ObservedApp observed) {
    List<String> forwarded =
        observed.loadBalancer().stream()
            .flatMap(lb -> lb.listeners().stream())
            .map(l -> l.targetGroupArn())
            .toList();
    List<String> attached = observed.group().map(ObservedGroup::targetGroupArns).orElse(List.of());
    return observed.targetGroups().stream()
        .min(
            Comparator.comparing((ObservedTargetGroup tg) -> !forwarded.contains(tg.arn()))
                .thenComparing(tg -> !attached.contains(tg.arn())));
  }

  /** The group's instances by type and purchase option, and its warm pool. */
  private static void instances(ObservedGroup g, ScalableAppStatus s) {
    var types = new TreeMap<String, Integer>();
    var purchases = new TreeMap<String, Integer>();
    g.instances().stream()
        .filter(i -> !i.leaving())
        .forEach(
            i -> {
              types.merge(i.instanceType() == null ? "unknown" : i.instanceType(), 1, Integer::sum);
              purchases.merge(i.spot() ? "Spot" : "OnDemand", 1, Integer::sum);
            });
    s.instanceTypes = types;
    s.purchaseOptions = purchases;
    s.instanceTypeSummary =
        types.isEmpty()
            ? null
            : types.entrySet().stream()
                .sorted(
                    java.util.Map.Entry.<String, Integer>comparingByValue()
                        .reversed()
                        .thenComparing(java.util.Map.Entry.comparingByKey()))
                .map(e -> e.getValue() + " " + e.getKey())
                .collect(java.util.stream.Collectors.joining(", "));
    ObservedWarmPool pool = g.warmPool();
    if (pool != null) {
      var warm = new ScalableAppStatus.WarmPoolStatus();
      warm.size = pool.size();
      warm.poolState = pool.config().poolState();
      warm.instances =
          !pool.byState().isEmpty()
              ? new TreeMap<>(pool.byState())
              : pool.size() == 0
                  ? java.util.Map.of()
                  : java.util.Map.of(pool.config().warmedState(), pool.size());
      warm.deleting = pool.deleting() ? true : null;
      s.warmPool = warm;
    }
  }

  private static void observedRefs(ObservedApp observed, ScalableAppStatus s) {
    s.launchTemplate =
        observed
            .launchTemplate()
            .map(
                lt ->
                    new ScalableAppStatus.LaunchTemplateRef(
                        lt.id(),
                        lt.name(),
                        observed
                            .group()
                            .map(ObservedGroup::launchTemplateVersion)
                            .orElse(lt.latestVersion())))
            .orElse(null);
    s.targetGroup =
        serving(observed)
            .map(
                tg ->
                    new ScalableAppStatus.TargetGroupRef(
                        tg.arn(), tg.config().name(), tg.healthyTargets()))
            .orElse(null);
    s.autoScalingGroup =
        observed.group().map(g -> new ScalableAppStatus.GroupRef(g.name(), g.arn())).orElse(null);
    s.loadBalancer =
        observed
            .loadBalancer()
            .map(
                lb -> {
                  var ref = new ScalableAppStatus.LoadBalancerRef();
                  ref.arn = lb.arn();
                  ref.dnsName = lb.dnsName();
                  return ref;
                })
            .orElse(null);
    if (!observed.subnets().isEmpty() || observed.group().isPresent()) {
      var zones = new TreeMap<String, Integer>();
      observed.subnets().forEach(sn -> zones.put(sn.availabilityZone(), 0));
      observed
          .group()
          .ifPresent(
              g ->
                  g.instances().stream()
                      .filter(i -> i.inService())
                      .forEach(i -> zones.merge(i.availabilityZone(), 1, Integer::sum)));
      s.availabilityZones = zones;
      s.zoneSummary =
          zones.entrySet().stream()
              .map(e -> e.getKey() + "=" + e.getValue())
              .collect(java.util.stream.Collectors.joining(" "));
    }
    s.replicas = observed.group().map(g -> (int) g.inService()).orElse(0);
    observed.group().ifPresent(g -> instances(g, s));
    observed.refreshes().stream()
        .findFirst()
        .ifPresent(
            r -> {
              var rollout = new ScalableAppStatus.RolloutStatus();
              rollout.id = r.id();
              rollout.status = r.status().name();
              rollout.statusReason = r.statusReason();
              rollout.percentComplete = r.percentComplete();
              rollout.instancesToUpdate = r.instancesToUpdate();
              rollout.targetVersion = r.targetVersion();
              rollout.startedAt = r.startTime() == null ? null : r.startTime().toString();
              s.rollout = rollout;
            });
    s.desiredCapacity = observed.group().map(ObservedGroup::desired).orElse(null);
  }
}
