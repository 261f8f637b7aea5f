package io.scalableapp.operator.plan;

import io.scalableapp.operator.cloud.Cloud;

/**
 * One change a partial planner wants made in AWS, with the reason it is needed. Actions are data
 * (records next to the planner that decides them); {@link #apply} makes the one call (or few) they
 * stand for. The same value feeds events, logs, {@code status.plannedActions} and the paused dry
 * run.
 */
public interface Action {
  /** Why the change is needed, for status, events and logs. */
  String reason();

  /** Makes the change through the cloud port. */
  void apply(Cloud cloud);

  /** What it makes stale of what the operator read of ELBv2 resources. */
  default ElbEffect elbEffect() {
    return ElbEffect.NONE;
  }

  /**
   * AWS answering IN_USE means what the action wants to start has already begun (this operator
   * before a crash): observe again rather than wait for the resource.
   */
  default boolean alreadyBegunWhenInUse() {
    return false;
  }

  /** The reason of the Kubernetes event recorded when the action is applied. */
  default String eventReason() {
    return getClass().getSimpleName();
  }

  /** A short, human-readable line: what and why. */
  default String describe() {
    return getClass().getSimpleName() + ": " + reason();
  }
}
