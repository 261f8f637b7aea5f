package io.scalableapp.operator.cloud;

import java.util.ArrayList;
import java.util.List;

/**
 * How an instance refresh replaces instances (AWS RefreshPreferences), with AWS's defaults and
 * rules: the validator, the planner and the simulated cloud all use these.
 *
 * @param instanceWarmupSeconds null: the group's default
 */
public record RefreshPreferences(
    int minHealthyPercentage,
    int maxHealthyPercentage,
    Integer instanceWarmupSeconds,
    boolean skipMatching,
    boolean autoRollback) {
  /** AWS's default MinHealthyPercentage. */
  public static final int DEFAULT_MIN_HEALTHY = 90;

  /** AWS's default MaxHealthyPercentage: no instance above desired capacity. */
  public static final int DEFAULT_MAX_HEALTHY = 100;

  /** Unset values take the defaults (skip matching and auto rollback on). */
  public static RefreshPreferences withDefaults(
      Integer minHealthy,
      Integer maxHealthy,
      Integer instanceWarmupSeconds,
      Boolean skipMatching,
      Boolean autoRollback) {
    return new RefreshPreferences(
        minHealthy == null ? DEFAULT_MIN_HEALTHY : minHealthy,
        maxHealthy == null ? DEFAULT_MAX_HEALTHY : maxHealthy,
        instanceWarmupSeconds,
        skipMatching == null || skipMatching,
        autoRollback == null || autoRollback);
  }

  /** The same preferences with skip matching on or off. */
  public RefreshPreferences withSkipMatching(boolean value) {
    return new RefreshPreferences(
        minHealthyPercentage, maxHealthyPercentage, instanceWarmupSeconds, value, autoRollback);
  }

  /**
   * The rules AWS enforces across the two percentages (each also has its own range); empty when
   * StartInstanceRefresh accepts them.
   */
  public List<String> violations() {
    var out = new ArrayList<String>();
    if (maxHealthyPercentage - minHealthyPercentage > 100) {
      out.add("maxHealthyPercentage - minHealthyPercentage must be at most 100");
    }
    if (minHealthyPercentage == 100 && maxHealthyPercentage == 100) {
      out.add(
          "minHealthyPercentage 100 needs maxHealthyPercentage above 100 (room to launch a new"
              + " instance before an old one goes)");
    }
    return out;
  }
}
