package io.scalableapp.operator.testing;

import java.util.List;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingGroup;
import software.amazon.awssdk.services.ec2.model.InstanceStateName;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancer;

/**
 * Everything moto holds of the kinds the operator makes, read straight from moto (not through any
 * fault layer): for "exactly one of each" and "nothing leaked".
 *
 * @param liveInstances instances pending or running
 */
public record MotoInventory(
    int launchTemplates,
    int targetGroups,
    int loadBalancers,
    int listeners,
    int groups,
    int policies,
    int liveInstances) {

  /** What one app with a load balancer and a scaling policy is made of, {@code n} instances. */
  public static MotoInventory oneApp(int instances) {
    return new MotoInventory(1, 1, 1, 1, 1, 1, instances);
  }

  public static final MotoInventory NOTHING = new MotoInventory(0, 0, 0, 0, 0, 0, 0);

  public static MotoInventory now() {
    try (var ec2 = Moto.ec2();
        var elb = Moto.elb();
        var asg = Moto.autoScaling()) {
      List<LoadBalancer> lbs = elb.describeLoadBalancers().loadBalancers();
      int listeners =
          lbs.stream()
              .mapToInt(
                  lb ->
                      elb.describeListeners(r -> r.loadBalancerArn(lb.loadBalancerArn()))
                          .listeners()
                          .size())
              .sum();
      List<AutoScalingGroup> groups = asg.describeAutoScalingGroups().autoScalingGroups();
      int live =
          (int)
              ec2.describeInstances().reservations().stream()
                  .flatMap(r -> r.instances().stream())
                  .filter(
                      i ->
                          i.state().name() == InstanceStateName.PENDING
                              || i.state().name() == InstanceStateName.RUNNING)
                  .count();
      return new MotoInventory(
          ec2.describeLaunchTemplates().launchTemplates().size(),
          elb.describeTargetGroups().targetGroups().size(),
          lbs.size(),
          listeners,
          groups.size(),
          asg.describePolicies().scalingPolicies().size(),
          live);
    }
  }
}
