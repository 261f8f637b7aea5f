package io.scalableapp.operator.plan;

import io.scalableapp.operator.api.ScalableAppSpec;
import java.util.List;
import java.util.Optional;

/**
 * One AWS capability in one place: the rules of its part of the spec, what AWS should hold for it,
 * the actions that get it there (each with its reason) and those that delete it. Pure: no I/O.
 *
 * <p>The {@link Planner} composes partial planners only by their dependencies, as JOSDK workflows
 * order dependent resources with {@code dependsOn}: a planner runs after those it depends on and
 * reads their results; on deletion it goes before them. A new capability is a new partial planner.
 *
 * @param <R> what the capability gives its dependents once AWS matches it (the launch template's
 *     version, the group, ...)
 */
public interface PartialPlanner<R> {
  /** The capabilities whose results this one reads: planned before it, deleted after it. */
  default List<Class<? extends PartialPlanner<?>>> dependsOn() {
    return List.of();
  }

  /** Adds a message per broken rule of its part of the spec, naming the field. */
  default void validate(ScalableAppSpec spec, Problems problems) {}

  /**
   * Adds the actions that bring AWS closer to the spec. Returns the capability's result once AWS
   * already matches it, empty until then (its dependents then wait for the next plan, made from a
   * fresh observation, so every plan only names ids AWS already gave).
   */
  Optional<R> plan(PlanContext c);

  /**
   * Adds the actions that delete its resources, the app being deleted; resources owned by someone
   * else are left alone. Returns false while something of it is still going (AWS deletes it
   * asynchronously), so that what it depends on waits.
   */
  default boolean delete(DeletionContext c) {
    return true;
  }
}
