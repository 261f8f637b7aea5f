package io.scalableapp.operator.plan;

/**
 * What the operator remembers between reconciliations, kept in status (so it survives restarts).
 *
 * @param appliedDesired the spec's desired capacity last applied to the group
 * @param failedVersion a launch template version whose rollout failed or was rolled back: not
 *     rolled out again until the spec makes a new version
 * @param prunedThrough launch template versions up to this one were already pruned
 */
public record Memory(Integer appliedDesired, Long failedVersion, Long prunedThrough) {
  public static final Memory NONE = new Memory(null, null, null);

  public static Memory applied(Integer appliedDesired) {
    return new Memory(appliedDesired, null, null);
  }
}
