package io.scalableapp.operator.plan;

import io.scalableapp.operator.api.ScalableAppSpec;
import io.scalableapp.operator.observe.ObservedApp;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Composes the partial planners, one per AWS capability, by their dependencies only: each runs
 * after the capabilities it depends on, with their results; changes come out in that order, and
 * removals after them in the reverse order (a listener before its load balancer). Pure.
 */
public final class Planner {
  /** Every capability, in the order they are planned when dependencies leave a choice. */
  static final List<PartialPlanner<?>> CAPABILITIES =
      List.of(
          new LaunchTemplatePlanner(),
          new TargetGroupPlanner(),
          new LoadBalancerPlanner(),
          new ListenerPlanner(),
          new GroupPlanner(),
          new WarmPoolPlanner(),
          new LifecycleHookPlanner(),
          new ScalingPolicyPlanner(),
          new RolloutPlanner(),
          new VersionPruningPlanner());

  private static final List<PartialPlanner<?>> ORDER = dependencyOrder(CAPABILITIES);

  private Planner() {}

  /** The capabilities in dependency order: each after those it depends on. */
  public static List<PartialPlanner<?>> capabilities() {
    return ORDER;
  }

  /**
   * @param memory what status remembers: desired capacity last applied, a failed version, pruning
   */
  public static Plan plan(DesiredApp desired, ObservedApp observed, Memory memory) {
    Map<Class<? extends PartialPlanner<?>>, Optional<?>> results = new HashMap<>();
    var actions = new ArrayList<Action>();
    var removals = new ArrayList<List<Action>>();
    var conflicts = new ArrayList<String>();
    var blocked = new ArrayList<String>();
    var waiting = new ArrayList<String>();
    Memory next = memory;
    for (PartialPlanner<?> p : ORDER) {
      var ready = new HashMap<Class<? extends PartialPlanner<?>>, Optional<?>>();
      p.dependsOn().forEach(d -> ready.put(d, results.get(d)));
      var c = new PlanContext(desired, observed, next, ready);
      results.put(kind(p), p.plan(c));
      actions.addAll(c.actions());
      removals.add(0, c.removals());
      conflicts.addAll(c.conflicts());
      blocked.addAll(c.blocked());
      waiting.addAll(c.waitingFor());
      next = c.memory();
    }
    if (!conflicts.isEmpty()) {
      return new Plan(List.of(), conflicts, List.of(), List.of(), memory);
    }
    removals.forEach(actions::addAll);
    return new Plan(actions, List.of(), blocked, waiting, next);
  }

  /**
   * Deletion, the app being deleted: capabilities in reverse dependency order, stopping after one
   * that is still going (a group AWS is deleting keeps its launch template and target group).
   * Resources owned by someone else are left alone and reported.
   */
  public static Plan planDeletion(String ownerKey, AppNames names, ObservedApp observed) {
    var actions = new ArrayList<Action>();
    var conflicts = new ArrayList<String>();
    var waiting = new ArrayList<String>();
    var reversed = new ArrayList<>(ORDER);
    Collections.reverse(reversed);
    for (PartialPlanner<?> p : reversed) {
      var c = new DeletionContext(ownerKey, names, observed);
      boolean gone = p.delete(c);
      actions.addAll(c.removals());
      conflicts.addAll(c.conflicts());
      waiting.addAll(c.waitingFor());
      if (!gone) {
        break;
      }
    }
    return new Plan(actions, conflicts, List.of(), waiting, Memory.NONE);
  }

  /** Every capability's rules for its part of the spec. */
  static void validate(ScalableAppSpec spec, Problems problems) {
    ORDER.forEach(p -> p.validate(spec, problems));
  }

  @SuppressWarnings("unchecked")
  private static Class<? extends PartialPlanner<?>> kind(PartialPlanner<?> p) {
    return (Class<? extends PartialPlanner<?>>) p.getClass();
  }

  /**
   * A stable topological order: each planner after those it depends on, otherwise as given.
   *
   * @throws IllegalStateException for a dependency on a planner not given, or a cycle
   */
  static List<PartialPlanner<?>> dependencyOrder(List<PartialPlanner<?>> planners) {
    Map<Class<?>, PartialPlanner<?>> byKind = new LinkedHashMap<>();
    planners.forEach(p -> byKind.put(p.getClass(), p));
    for (PartialPlanner<?> p : planners) {
      for (Class<?> d : p.dependsOn()) {
        if (!byKind.containsKey(d)) {
          throw new IllegalStateException(
              kind(p).getSimpleName() + " depends on " + d.getSimpleName() + ", which is missing");
        }
      }
    }
    var ordered = new ArrayList<PartialPlanner<?>>();
    var placed = new HashMap<Class<?>, Boolean>();
    while (ordered.size() < planners.size()) {
      PartialPlanner<?> next =
          planners.stream()
              .filter(p -> !placed.containsKey(p.getClass()))
              .filter(p -> p.dependsOn().stream().allMatch(placed::containsKey))
              .findFirst()
              .orElseThrow(
                  () ->
                      new IllegalStateException(
                          "the dependencies of "
                              + planners.stream()
                                  .filter(p -> !placed.containsKey(p.getClass()))
                                  .map(p -> p.getClass().getSimpleName())
                                  .toList()
                              + " form a cycle"));
      placed.put(next.getClass(), true);
      ordered.add(next);
    }
    return List.copyOf(ordered);
  }
}
