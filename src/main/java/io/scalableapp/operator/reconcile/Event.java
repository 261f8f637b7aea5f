package io.scalableapp.operator.reconcile;

import io.scalableapp.operator.plan.Action;
import io.scalableapp.operator.status.Reason;

/**
 * A Kubernetes event on a ScalableApp, as {@code kubectl describe} shows it.
 *
 * @param reason a {@link Reason} of the operator's own, or the kind of an applied action
 */
public record Event(Type type, String reason, String message) {
  public enum Type {
    Normal,
    Warning
  }

  public static Event of(Reason reason, String message) {
    return new Event(reason.warning() ? Type.Warning : Type.Normal, reason.name(), message);
  }

  /** An AWS change the operator made, and why. */
  public static Event applied(Action action) {
    return new Event(Type.Normal, action.eventReason(), action.reason());
  }
}
