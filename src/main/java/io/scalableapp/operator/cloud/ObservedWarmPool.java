package io.scalableapp.operator.cloud;

import java.util.Map;

/**
 * A group's warm pool as AWS reports it.
 *
 * @param size instances in the pool now (the group's WarmPoolSize)
 * @param deleting AWS is deleting the pool (its status PendingDelete)
 * @param byState warm instances by lifecycle state (Warmed:Pending, Warmed:Stopped, ...), when they
 *     were read (DescribeWarmPool); empty otherwise
 */
public record ObservedWarmPool(
    WarmPoolConfig config, int size, boolean deleting, Map<String, Integer> byState) {
  public ObservedWarmPool {
    byState = Map.copyOf(byState);
  }

  public ObservedWarmPool withStates(Map<String, Integer> states) {
    return new ObservedWarmPool(config, size, deleting, states);
  }
}
