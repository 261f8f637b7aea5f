package io.scalableapp.operator.reconcile;

import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.polling.PollingConfigurationBuilder;
import io.javaoperatorsdk.operator.processing.event.source.polling.PollingEventSource;
import io.scalableapp.operator.OperatorMetrics;
import io.scalableapp.operator.api.ScalableApp;
import io.scalableapp.operator.api.ScalableAppStatus;
import io.scalableapp.operator.api.ScalableAppStatus.Phase;
import io.scalableapp.operator.cloud.CloudException;
import io.scalableapp.operator.cloud.CloudProvider;
import io.scalableapp.operator.observe.AppObserver;
import io.scalableapp.operator.observe.Fleet;
import io.scalableapp.operator.observe.ImageResolver;
import io.scalableapp.operator.observe.ObservedApp;
import io.scalableapp.operator.plan.Action;
import io.scalableapp.operator.plan.AppNames;
import io.scalableapp.operator.plan.DesiredApp;
import io.scalableapp.operator.plan.Memory;
import io.scalableapp.operator.plan.Plan;
import io.scalableapp.operator.plan.Planner;
import io.scalableapp.operator.plan.SpecValidator;
import io.scalableapp.operator.status.Outcome;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one app's AWS resources matching its spec: validate, observe, plan, apply, record. On
 * deletion, the same loop deletes them in reverse dependency order before the finalizer goes.
 */
@ControllerConfiguration(name = ScalableAppReconciler.NAME)
public class ScalableAppReconciler implements Reconciler<ScalableApp>, Cleaner<ScalableApp> {
  public static final String NAME = "scalableapp";
  private static final Logger log = LoggerFactory.getLogger(ScalableAppReconciler.class);

  /** The resync interval when none is given. */
  static final Duration DEFAULT_RESYNC = Duration.ofMinutes(5);

  private final CloudProvider clouds;
  private final Duration resync;
  private final Fleet fleet;
  private final AppObserver observer;
  private final ImageResolver images;
  private final Timing timing;
  private final EventRecorder events;
  private final OperatorMetrics metrics;
  private final Backoff backoff;
  private final StatusRecorder status;

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
    this(clouds, clock, timing, OperatorMetrics.none());
  }

  public ScalableAppReconciler(
      CloudProvider clouds, Clock clock, Timing timing, OperatorMetrics metrics) {
    this(clouds, clock, timing, metrics, DEFAULT_RESYNC);
  }

  /**
   * @param resync how often AWS is polled, region by region, for every app at once: an app whose
   *     resources changed in AWS is reconciled then; one that did not costs no AWS call
   */
  public ScalableAppReconciler(
      CloudProvider clouds, Clock clock, Timing timing, OperatorMetrics metrics, Duration resync) {
    this.clouds = clouds;
    this.resync = resync;
    // Poll ages are wall time, as JOSDK's polling is (the given clock may run faster: sandbox).
    this.fleet = new Fleet(clouds, Clock.systemUTC(), resync);
    this.images = new ImageResolver(clouds, Clock.systemUTC(), resync);
    this.observer = new AppObserver(clouds, fleet, images);
    this.timing = timing;
    this.events = new EventRecorder(clock);
    this.metrics = metrics;
    this.backoff = new Backoff(timing);
    this.status = new StatusRecorder(clock, events, metrics, timing, backoff);
  }

  /**
   * Polls AWS once per resync interval for every app at once (JOSDK's polling event source over the
   * {@link Fleet}): an app whose part of the poll changed, drift made in AWS, is reconciled.
   */
  @Override
  public List<EventSource<?, ScalableApp>> prepareEventSources(
      EventSourceContext<ScalableApp> context) {
    var polling =
        new PollingConfigurationBuilder<Fleet.Slice, String>(this::pollAws, resync)
            .withName("aws-fleet")
            .withResourceIDMapper(s -> s.region() + "/" + s.owner())
            .build();
    var parameters =
        new PollingConfigurationBuilder<ImageResolver.Resolved, String>(
                this::pollImageParameters, resync)
            .withName("ssm-image-parameters")
            .withResourceIDMapper(ImageResolver.Resolved::parameter)
            .build();
    return List.of(
        new PollingEventSource<>(Fleet.Slice.class, polling),
        new PollingEventSource<>(ImageResolver.Resolved.class, parameters));
  }

  /**
   * Reads every SSM parameter the apps' images come from, once per resync interval: an app whose
   * parameter AWS gave a new value (a new image published) is reconciled, and rolls it out.
   */
  private Map<ResourceID, Set<ImageResolver.Resolved>> pollImageParameters() {
    return byApp(images.poll(), ImageResolver.Resolved::owner);
  }

  private Map<ResourceID, Set<Fleet.Slice>> pollAws() {
    return byApp(fleet.poll(), Fleet.Slice::owner);
  }

  /** What a poll found, by the app it belongs to ({@code namespace/name}). */
  private static <T> Map<ResourceID, Set<T>> byApp(List<T> found, Function<T, String> owner) {
    var byApp = new HashMap<ResourceID, Set<T>>();
    for (T t : found) {
      String[] o = owner.apply(t).split("/", 2);
      byApp.computeIfAbsent(new ResourceID(o[1], o[0]), k -> new HashSet<>()).add(t);
    }
    return byApp;
  }

  @Override
  public UpdateControl<ScalableApp> reconcile(ScalableApp app, Context<ScalableApp> context) {
    List<String> problems = SpecValidator.validate(app.getSpec());
    Outcome outcome =
        problems.isEmpty()
            ? new Convergence(
                    clouds,
                    observer,
                    DesiredApp.from(app),
                    app.getStatus(),
                    action -> events.record(context.getClient(), app, Event.applied(action)))
                .run()
            : Outcome.invalid(problems, Memory.of(app.getStatus()));
    return status.record(app, context, outcome);
  }

  /**
   * Deletes the app's AWS resources in reverse dependency order (policy and group, then listeners,
   * load balancer, target group and launch template), NotFound counted as done, resources owned by
   * others left alone. Keeps the finalizer until AWS reports them gone.
   */
  @Override
  public DeleteControl cleanup(ScalableApp app, Context<ScalableApp> context) {
    ResourceID id = ResourceID.fromResource(app);
    if (app.getSpec() != null && app.getSpec().retainsResources()) {
      log.info("{}: deletionPolicy Retain; leaving AWS resources in place", app.ownerKey());
      return forget(app, id);
    }
    if (!SpecValidator.validate(app.getSpec()).isEmpty() && neverCreated(app.getStatus())) {
      return forget(app, id);
    }
    markDeleting(app, context);
    try {
      boolean gone = true;
      for (String region : regions(app)) {
        var last =
            ApplyLoop.run(app.ownerKey(), clouds.forRegion(region), deletion(app, region), true);
        if (last.inUse() || !last.plan().isEmpty() || !last.plan().waitingFor().isEmpty()) {
          log.info("{}: waiting in {}: {}", app.ownerKey(), region, last.plan().waitingFor());
          gone = false;
        } else {
          last.plan().conflicts().forEach(c -> log.warn("{}: {}", app.ownerKey(), c));
        }
      }
      return gone
          ? forget(app, id)
          : DeleteControl.noFinalizerRemoval().rescheduleAfter(timing.progress().toMillis());
    } catch (CloudException e) {
      int n = backoff.failed(id);
      log.warn("{}: deleting: {} (attempt {})", app.ownerKey(), e.getMessage(), n);
      return DeleteControl.noFinalizerRemoval().rescheduleAfter(backoff.after(n).toMillis());
    }
  }

  /**
   * Every region the app may have resources in: the one status records them in, and the spec's
   * (they differ only if a region change got past the CRD's rule and the operator's check).
   */
  private Set<String> regions(ScalableApp app) {
    var regions = new LinkedHashSet<String>();
    if (app.getStatus() != null && app.getStatus().region != null) {
      regions.add(app.getStatus().region);
    }
    regions.add(clouds.region(app.getSpec() == null ? null : app.getSpec().region));
    return regions;
  }

  private ApplyLoop.Pass deletion(ScalableApp app, String region) {
    AppNames names = AppNames.of(app.getMetadata().getNamespace(), app.getMetadata().getName());
    return new ApplyLoop.Pass() {
      @Override
      public ObservedApp observe() {
        return observer.observe(region, names, List.of());
      }

      @Override
      public Plan plan(ObservedApp observed) {
        return Planner.planDeletion(app.ownerKey(), names, observed);
      }

      @Override
      public void attempting(Action action) {
        observer.changing(region, app.ownerKey(), names, action.elbEffect());
      }

      @Override
      public void attempted(Action action) {
        observer.changing(region, app.ownerKey(), names, action.elbEffect());
      }
    };
  }

  private DeleteControl forget(ScalableApp app, ResourceID id) {
    observer.forget(app.ownerKey());
    backoff.succeeded(id);
    metrics.forget(id);
    return DeleteControl.defaultDelete();
  }

  /** Shows phase Deleting while AWS resources go; best effort (the finalizer is what counts). */
  private void markDeleting(ScalableApp app, Context<ScalableApp> context) {
    if (app.getStatus() == null || app.getStatus().phase == Phase.Deleting) {
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
                  a.getStatus().phase = Phase.Deleting;
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
