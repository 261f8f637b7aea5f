package io.scalableapp.operator.cloud;

/**
 * A group's warm pool: pre-initialised instances that scale-out takes before launching new ones.
 *
 * @param maxGroupPreparedCapacity the most instances in the group and the pool together; null: the
 *     group's max
 * @param poolState what warm instances are kept as: Stopped, Hibernated or Running
 * @param reuseOnScaleIn instances the group scales in go back to the pool instead of terminating
 */
public record WarmPoolConfig(
    int minSize, Integer maxGroupPreparedCapacity, String poolState, boolean reuseOnScaleIn) {
  /** AWS's default pool state. */
  public static final String DEFAULT_STATE = "Stopped";

  /** AWS's lifecycle state of a warm instance still being launched and initialised. */
  public static final String WARMED_PENDING = "Warmed:Pending";

  public WarmPoolConfig {
    poolState = poolState == null ? DEFAULT_STATE : poolState;
  }

  /** AWS's lifecycle state of a warm instance ready in this pool: Warmed:Stopped, ... */
  public String warmedState() {
    return "Warmed:" + poolState;
  }
}
