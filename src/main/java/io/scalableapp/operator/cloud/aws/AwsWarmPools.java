package io.scalableapp.operator.cloud.aws;

import io.scalableapp.operator.cloud.CloudException;
import io.scalableapp.operator.cloud.ObservedWarmPool;
import io.scalableapp.operator.cloud.WarmPoolConfig;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.autoscaling.model.WarmPoolConfiguration;

/** A group's warm pool on EC2 Auto Scaling: PutWarmPool, DeleteWarmPool, DescribeWarmPool. */
final class AwsWarmPools {
  /** DescribeWarmPool's most instances a page. */
  static final int PAGE = 50;

  private final AutoScalingClient asg;
  private final int pageSize;

  AwsWarmPools(AutoScalingClient asg, int pageSize) {
    this.asg = asg;
    this.pageSize = Math.min(pageSize, PAGE);
  }

  void put(String groupName, WarmPoolConfig c) {
    AwsErrors.run(
        "PutWarmPool",
        () ->
            asg.putWarmPool(
                r ->
                    r.autoScalingGroupName(groupName)
                        .minSize(c.minSize())
                        // -1: the group's max (API_PutWarmPool), so a removed value is reset.
                        .maxGroupPreparedCapacity(
                            c.maxGroupPreparedCapacity() == null
                                ? -1
                                : c.maxGroupPreparedCapacity())
                        .poolState(c.poolState())
                        .instanceReusePolicy(p -> p.reuseOnScaleIn(c.reuseOnScaleIn()))));
  }

  void delete(String groupName) {
    try {
      AwsErrors.delete(
          "DeleteWarmPool",
          () -> asg.deleteWarmPool(r -> r.autoScalingGroupName(groupName).forceDelete(true)));
    } catch (CloudException e) {
      // Already being deleted: what was asked is under way.
      if (!e.code().startsWith("ResourceInUse")) {
        throw e;
      }
    }
  }

  /** The pool with its instances counted by lifecycle state, all pages; empty when none. */
  Optional<ObservedWarmPool> describe(String groupName) {
    var states = new TreeMap<String, Integer>();
    WarmPoolConfiguration[] config = new WarmPoolConfiguration[1];
    AwsErrors.run(
        "DescribeWarmPool",
        () -> {
          String token = null;
          do {
            String next = token;
            var page =
                asg.describeWarmPool(
                    r -> r.autoScalingGroupName(groupName).maxRecords(pageSize).nextToken(next));
            config[0] = page.warmPoolConfiguration();
            page.instances()
                .forEach(i -> states.merge(i.lifecycleStateAsString(), 1, Integer::sum));
            token = page.nextToken();
          } while (token != null);
        });
    return Optional.ofNullable(config[0])
        .map(c -> observed(c, states.values().stream().mapToInt(Integer::intValue).sum(), states));
  }

  /** The one conversion of an SDK warm pool (from the group's answer or DescribeWarmPool). */
  static ObservedWarmPool observed(
      WarmPoolConfiguration w, Integer size, Map<String, Integer> byState) {
    return new ObservedWarmPool(
        new WarmPoolConfig(
            w.minSize() == null ? 0 : w.minSize(),
            // AWS answers -1 for "the group's max" when the request left it out.
            w.maxGroupPreparedCapacity() == null || w.maxGroupPreparedCapacity() < 0
                ? null
                : w.maxGroupPreparedCapacity(),
            w.poolStateAsString(),
            w.instanceReusePolicy() != null
                && Boolean.TRUE.equals(w.instanceReusePolicy().reuseOnScaleIn())),
        size == null ? 0 : size,
        "PendingDelete".equals(w.statusAsString()),
        byState);
  }
}
