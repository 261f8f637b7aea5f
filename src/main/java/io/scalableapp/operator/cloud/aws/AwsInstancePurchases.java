package io.scalableapp.operator.cloud.aws;

import io.scalableapp.operator.cloud.InstancePurchases;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.InstanceLifecycleType;

/**
 * {@link InstancePurchases} on EC2: DescribeInstances by instance-id filter (a filter, unlike
 * InstanceIds, does not fail the whole call for an instance already gone), at most 200 ids a call.
 */
public class AwsInstancePurchases implements InstancePurchases {
  private final Ec2Client ec2;

  public AwsInstancePurchases(Ec2Client ec2) {
    this.ec2 = ec2;
  }

  @Override
  public Set<String> spot(Collection<String> instanceIds) {
    var spot = new HashSet<String>();
    List<String> ids = new ArrayList<>(instanceIds);
    for (int from = 0; from < ids.size(); from += IDS_PER_CALL) {
      List<String> chunk = ids.subList(from, Math.min(ids.size(), from + IDS_PER_CALL));
      AwsErrors.run(
          "DescribeInstances",
          () ->
              ec2
                  .describeInstancesPaginator(
                      r -> r.filters(f -> f.name("instance-id").values(chunk)))
                  .reservations()
                  .stream()
                  .flatMap(res -> res.instances().stream())
                  .filter(i -> i.instanceLifecycle() == InstanceLifecycleType.SPOT)
                  .forEach(i -> spot.add(i.instanceId())));
    }
    return spot;
  }
}
