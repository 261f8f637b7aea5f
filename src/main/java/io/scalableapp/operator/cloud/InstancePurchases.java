package io.scalableapp.operator.cloud;

import java.util.Collection;
import java.util.Set;

/**
 * How EC2 instances were bought. Auto Scaling does not say whether an instance of a group is Spot
 * or On-Demand; EC2 does (an instance's InstanceLifecycle).
 */
public interface InstancePurchases {
  /** EC2's most instance ids in one request's filter. */
  int IDS_PER_CALL = 200;

  /** Those of these instances bought as Spot; an instance EC2 no longer reports is left out. */
  Set<String> spot(Collection<String> instanceIds);
}
