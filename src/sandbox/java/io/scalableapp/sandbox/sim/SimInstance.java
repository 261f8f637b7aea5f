package io.scalableapp.sandbox.sim;

import io.scalableapp.operator.cloud.LifecycleState;
import java.time.Instant;

/**
 * An EC2 instance of a group. The Auto Scaling service changes it (under its lock); the load
 * balancing service reads its state and whether its app answers health checks.
 */
final class SimInstance {
  final String id;
  final String az;
  final String subnet;
  final String type;
  final String templateId;
  final long version;
  final Instant launchedAt;

  /** Its app never passes a health check (a fault). */
  final boolean failing;

  /** Bought as Spot (else On-Demand). */
  final boolean spot;

  volatile LifecycleState state = LifecycleState.Pending;

  /** EC2 interrupts this Spot instance at this time (null: not at risk). */
  volatile Instant interruptAt;

  /** The instance launched to replace it on a rebalance recommendation (null: none). */
  volatile String replacement;

  /** In a warm pool: its state there (Warmed:Pending, Warmed:Stopped, ...); null in the group. */
  volatile String warmState;

  volatile boolean healthy = true;
  volatile Instant inServiceAt;
  volatile Instant terminateAt;

  SimInstance(
      String id,
      String az,
      String subnet,
      String type,
      String templateId,
      long version,
      Instant launchedAt,
      boolean failing,
      boolean spot) {
    this.id = id;
    this.az = az;
    this.subnet = subnet;
    this.type = type;
    this.templateId = templateId;
    this.version = version;
    this.launchedAt = launchedAt;
    this.failing = failing;
    this.spot = spot;
  }
}
