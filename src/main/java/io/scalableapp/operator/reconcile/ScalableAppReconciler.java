package io.scalableapp.operator.reconcile;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.scalableapp.operator.api.ScalableApp;
import io.scalableapp.operator.api.ScalableAppStatus;
import io.scalableapp.operator.cloud.Cloud;
import io.scalableapp.operator.cloud.CloudException;
import io.scalableapp.operator.cloud.CloudProvider;
import io.scalableapp.operator.observe.AppObserver;
import io.scalableapp.operator.observe.ObservedApp;
import io.scalableapp.operator.plan.Action;
import io.scalableapp.operator.plan.AppNames;
import io.scalableapp.operator.plan.DesiredApp;
import io.scalableapp.operator.plan.Memory;
import io.scalableapp.operator.plan.Plan;
import io.scalableapp.operator.plan.Planner;
import io.scalableapp.operator.plan.RolloutPlanner;
import io.scalableapp.operator.plan.SpecValidator;
import io.scalableapp.operator.status.Outcome;
import io.scalableapp.operator.status.StatusBuilder;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one app's AWS resources matching its spec: validate, observe, plan, apply, record. Each
 * pass applies the plan's actions and observes again until nothing is left to do (a few steps:
 * launch template and target group, then the group, then its policy), so every step only uses ids
 * AWS already returned and a crash at any point is picked up by the next observation.
 */
@ControllerConfiguration(name = ScalableAppReconciler.NAME)
public class ScalableAppReconciler implements Reconciler<ScalableApp>, Cleaner<ScalableApp> {
  public static final String NAME = "scalableapp";
  static final int MAX_STEPS = 6;
  private static final Logger log = LoggerFactory.getLogger(ScalableAppReconciler.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final CloudProvider clouds;
  private final AppObserver observer;
  private final Clock clock;
  private final Timing timing;
  private final Map<ResourceID, Integer> failures = new ConcurrentHashMap<>();
  private final EventRecorder events;
  private final io.scalableapp.operator.OperatorMetrics metrics;

  /**
   * How long to wait: {@code progress} while AWS is still converging, an exponential backoff from
   * {@code backoffBase} up to {@code backoffMax} after an AWS error.
   */
  public record Timing(Duration progress, Duration backoffBase, Duration backoffMax) {
    public static final Timing DEFAULT =
        new Timing(Duration.ofSeconds(15), Duration.ofSeconds(5), Duration.ofMinutes(5));

    Duration backoff(int failures) {
      long factor = 1L << Math.min(20, Math.max(0, failures - 1));
      Duration d = backoffBase.multipliedBy(factor);
      return d.compareTo(backoffMax) > 0 ? backoffMax : d;
    }
  }

  public ScalableAppReconciler(CloudProvider clouds, Clock clock, Timing timing) {
    this(clouds, clock, timing, io.scalableapp.operator.OperatorMetrics.none());
  }

  public ScalableAppReconciler(
      CloudProvider clouds,
      Clock clock,
      Timing timing,
      io.scalableapp.operator.OperatorMetrics metrics) {
    this.metrics = metrics;
    this.clouds = clouds;
    this.observer = new AppObserver(clouds);
    this.clock = clock;
    this.timing = timing;
    this.events = new EventRecorder(clock);
  }

  @Override
  public UpdateControl<ScalableApp> reconcile(ScalableApp app, Context<ScalableApp> context) {
    Memory memory = memory(app.getStatus());
    List<String> problems = SpecValidator.validate(app.getSpec());
    if (!problems.isEmpty()) {
      return record(app, context, Outcome.invalid(problems, memory), null);
    }
    DesiredApp desired = DesiredApp.from(app);
    boolean rolloutTracked =
        app.getStatus() != null
            && app.getStatus().rollout != null
            && app.getStatus().rollout.active();
    boolean loadBalancer =
        desired.wantsLoadBalancer()
            || (app.getStatus() != null && app.getStatus().loadBalancer != null);
    var run =
        new Convergence(
            desired,
            memory,
            rolloutTracked,
            loadBalancer,
            action ->
                events.record(
                    context.getClient(),
                    app,
                    EventRecorder.NORMAL,
                    action.eventReason(),
                    action.reason()));
    try {
      run.converge(app.getSpec().pauseRequested());
      failures.remove(ResourceID.fromResource(app));
      return record(app, context, run.outcome(null), run.plan);
    } catch (CloudException e) {
      int n = failures.merge(ResourceID.fromResource(app), 1, Integer::sum);
      log.warn("{}: {} (attempt {})", app.ownerKey(), e.getMessage(), n);
      UpdateControl<ScalableApp> control = record(app, context, run.outcome(e), run.plan);
      return control.rescheduleAfter(timing.backoff(n));
    }
  }

  static Memory memory(ScalableAppStatus status) {
    if (status == null) {
      return Memory.NONE;
    }
    return new Memory(
        status.appliedDesiredCapacity,
        status.rollout == null ? null : status.rollout.failedVersion,
        status.launchTemplate == null ? null : status.launchTemplate.prunedThrough);
  }

  /** One reconciliation's observe-plan-apply loop and what it saw last. */
  private final class Convergence {
    final DesiredApp desired;
    final Cloud cloud;
    final java.util.function.Consumer<Action> onApplied;
    boolean rolloutTracked;
    final boolean loadBalancer;
    Memory memory;
    ObservedApp observed;
    Plan plan;
    boolean paused;

    Convergence(
        DesiredApp desired,
        Memory memory,
        boolean rolloutTracked,
        boolean loadBalancer,
        java.util.function.Consumer<Action> onApplied) {
      this.desired = desired;
      this.loadBalancer = loadBalancer;
      this.memory = memory;
      this.rolloutTracked = rolloutTracked;
      this.onApplied = onApplied;
      this.cloud = clouds.forRegion(desired.region());
    }

    void converge(boolean paused) {
      this.paused = paused;
      observeAndPlan();
      for (int step = 0;
          step < MAX_STEPS && !paused && !plan.isEmpty() && !plan.hasConflict();
          step++) {
        for (Action action : plan.actions()) {
          apply(desired.ownerKey(), action, cloud);
          onApplied.accept(action);
          rolloutTracked |= action instanceof RolloutPlanner.StartRefresh;
        }
        memory = plan.memory();
        observeAndPlan();
      }
      if (!paused && !plan.hasConflict()) {
        memory = plan.memory();
      }
    }

    private void observeAndPlan() {
      observed =
          observer.observe(
              desired.region(), desired.names(), desired.subnetIds(), rolloutTracked, loadBalancer);
      plan = Planner.plan(desired, observed, memory);
    }

    Outcome outcome(CloudException error) {
      return new Outcome(observed, plan, List.of(), error, paused, memory);
    }
  }

  private static void apply(String owner, Action action, Cloud cloud) {
    log.info("{}: {}", owner, action.describe());
    try {
      action.apply(cloud);
    } catch (CloudException e) {
      // Someone (or this operator before a crash) created it first: the next observation finds it
      // and decides whether it is ours.
      if (!e.is(CloudException.Kind.ALREADY_EXISTS)) {
        throw e;
      }
      log.info("{}: {} already exists; observing again", owner, action.getClass().getSimpleName());
    }
  }

  private UpdateControl<ScalableApp> record(
      ScalableApp app, Context<ScalableApp> context, Outcome outcome, Plan plan) {
    ScalableAppStatus previous = app.getStatus();
    long generation = Objects.requireNonNullElse(app.getMetadata().getGeneration(), 0L);
    int min =
        app.getSpec() != null
                && app.getSpec().capacity != null
                && app.getSpec().capacity.min != null
            ? app.getSpec().capacity.min
            : 0;
    ScalableAppStatus next =
        StatusBuilder.build(previous, generation, min, outcome, clock.instant());
    transitions(previous, next)
        .forEach(
            e -> {
              events.record(context.getClient(), app, e[0], e[1], e[2]);
              if (e[1].startsWith("Rollout") || e[1].equals("RolledBack")) {
                metrics.rolloutEnded(next.rollout.status);
              }
            });
    metrics.phase(ResourceID.fromResource(app), next.phase);
    boolean settled =
        next.isReady()
            || !outcome.invalid().isEmpty()
            || outcome.paused()
            || (plan != null && plan.hasConflict());
    UpdateControl<ScalableApp> control;
    if (JSON.valueToTree(next).equals(JSON.valueToTree(previous))) {
      control = UpdateControl.noUpdate();
    } else {
      app.setStatus(next);
      control = UpdateControl.patchStatus(app);
    }
    return settled ? control : control.rescheduleAfter(timing.progress());
  }

  /** Events for what changed between two statuses: rollout outcomes and new Degraded reasons. */
  static List<String[]> transitions(ScalableAppStatus previous, ScalableAppStatus next) {
    var out = new java.util.ArrayList<String[]>();
    var before = previous == null ? null : previous.rollout;
    var after = next.rollout;
    // A refresh seen ending now: it was active at the last write, or it is one not reported yet.
    if (after != null
        && after.id != null
        && after.status != null
        && !after.active()
        && (before == null || !Objects.equals(before.id, after.id) || before.active())) {
      String what = "rollout of launch template version " + after.targetVersion;
      switch (after.status) {
        case "Successful" ->
            out.add(new String[] {EventRecorder.NORMAL, "RolloutSucceeded", what + " succeeded"});
        case "Cancelled" ->
            out.add(new String[] {EventRecorder.NORMAL, "RolloutCancelled", what + " cancelled"});
        default ->
            out.add(
                new String[] {
                  EventRecorder.WARNING,
                  after.status.startsWith("Rollback") ? "RolledBack" : "RolloutFailed",
                  what
                      + " ended "
                      + after.status
                      + (after.statusReason == null ? "" : ": " + after.statusReason)
                });
      }
    }
    if (next.availabilityZones != null
        && next.availabilityZones.size() == 1
        && (previous == null
            || previous.availabilityZones == null
            || previous.availabilityZones.size() != 1)) {
      out.add(
          new String[] {
            EventRecorder.WARNING,
            "SingleAvailabilityZone",
            "spec.subnetIds cover only "
                + next.availabilityZones.keySet().iterator().next()
                + ": an outage of that zone stops the whole app;"
                + " add a subnet in another availability zone"
          });
    }
    var degraded =
        next.condition(io.scalableapp.operator.api.Condition.DEGRADED).filter(c -> c.isTrue());
    var wasDegraded =
        previous == null
            ? java.util.Optional.<io.scalableapp.operator.api.Condition>empty()
            : previous
                .condition(io.scalableapp.operator.api.Condition.DEGRADED)
                .filter(c -> c.isTrue());
    degraded
        .filter(d -> wasDegraded.map(w -> !Objects.equals(w.reason, d.reason)).orElse(true))
        .ifPresent(d -> out.add(new String[] {EventRecorder.WARNING, d.reason, d.message}));
    return out;
  }

  /**
   * Deletes the app's AWS resources in dependency order (policy, group, target group, launch
   * template), NotFound counted as done, resources owned by others left alone. Keeps the finalizer
   * until AWS reports them gone.
   */
  @Override
  public DeleteControl cleanup(ScalableApp app, Context<ScalableApp> context) {
    if (app.getSpec() != null && app.getSpec().retainsResources()) {
      log.info("{}: deletionPolicy Retain; leaving AWS resources in place", app.ownerKey());
      metrics.forget(ResourceID.fromResource(app));
      return DeleteControl.defaultDelete();
    }
    if (!SpecValidator.validate(app.getSpec()).isEmpty() && neverCreated(app.getStatus())) {
      return DeleteControl.defaultDelete();
    }
    markDeleting(app, context);
    AppNames names = AppNames.of(app.getMetadata().getNamespace(), app.getMetadata().getName());
    String region = app.getSpec() == null ? null : app.getSpec().region;
    Cloud cloud = clouds.forRegion(region);
    try {
      for (int step = 0; step < MAX_STEPS; step++) {
        ObservedApp observed = observer.observe(region, names, List.of());
        Plan plan = Planner.planDeletion(app.ownerKey(), names, observed);
        if (plan.isEmpty()) {
          if (!plan.waitingFor().isEmpty()) {
            log.info("{}: waiting: {}", app.ownerKey(), plan.waitingFor());
            return DeleteControl.noFinalizerRemoval().rescheduleAfter(timing.progress().toMillis());
          }
          plan.conflicts().forEach(c -> log.warn("{}: {}", app.ownerKey(), c));
          failures.remove(ResourceID.fromResource(app));
          metrics.forget(ResourceID.fromResource(app));
          return DeleteControl.defaultDelete();
        }
        for (Action action : plan.actions()) {
          log.info("{}: {}", app.ownerKey(), action.describe());
          try {
            action.apply(cloud);
          } catch (CloudException e) {
            if (!e.is(CloudException.Kind.IN_USE)) {
              throw e;
            }
            log.info("{}: {} still in use; waiting", app.ownerKey(), e.getMessage());
            return DeleteControl.noFinalizerRemoval().rescheduleAfter(timing.progress().toMillis());
          }
        }
      }
      return DeleteControl.noFinalizerRemoval().rescheduleAfter(timing.progress().toMillis());
    } catch (CloudException e) {
      int n = failures.merge(ResourceID.fromResource(app), 1, Integer::sum);
      log.warn("{}: deleting: {} (attempt {})", app.ownerKey(), e.getMessage(), n);
      return DeleteControl.noFinalizerRemoval().rescheduleAfter(timing.backoff(n).toMillis());
    }
  }

  /** Shows phase Deleting while AWS resources go; best effort (the finalizer is what counts). */
  private void markDeleting(ScalableApp app, Context<ScalableApp> context) {
    if (app.getStatus() == null || app.getStatus().phase == ScalableAppStatus.Phase.Deleting) {
      return;
    }
    try {
      context
          .getClient()
          .resources(ScalableApp.class)
          .inNamespace(app.getMetadata().getNamespace())
          .withName(app.getMetadata().getName())
          .editStatus(
              a -> {
                if (a.getStatus() != null) {
                  a.getStatus().phase = ScalableAppStatus.Phase.Deleting;
                }
                return a;
              });
    } catch (RuntimeException e) {
      log.debug("{}: cannot show phase Deleting: {}", app.ownerKey(), e.getMessage());
    }
  }

  private static boolean neverCreated(ScalableAppStatus status) {
    return status == null
        || (status.launchTemplate == null
            && status.autoScalingGroup == null
            && status.targetGroup == null);
  }
}
