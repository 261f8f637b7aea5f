package io.scalableapp.operator.cloud.aws;

import io.scalableapp.operator.cloud.CloudException;
import io.scalableapp.operator.cloud.Subnet;
import io.scalableapp.operator.cloud.Subnets;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.ec2.Ec2Client;

/** {@link Subnets} on EC2. */
public class AwsSubnets implements Subnets {
  private final Ec2Client ec2;

  public AwsSubnets(Ec2Client ec2) {
    this.ec2 = ec2;
  }

  @Override
  public List<Subnet> describe(List<String> subnetIds) {
    Map<String, Subnet> byId;
    try {
      byId =
          AwsErrors.call(
                  "DescribeSubnets",
                  () -> ec2.describeSubnets(r -> r.subnetIds(subnetIds)).subnets())
              .stream()
              .map(s -> new Subnet(s.subnetId(), s.vpcId(), s.availabilityZone()))
              .collect(Collectors.toMap(Subnet::id, Function.identity()));
    } catch (CloudException e) {
      // A subnet the spec names but AWS does not know is the user's to fix, not "nothing there".
      if (e.is(CloudException.Kind.NOT_FOUND)) {
        throw new CloudException(
            CloudException.Kind.INVALID_REQUEST, e.code(), e.awsMessage(), "DescribeSubnets", e);
      }
      throw e;
    }
    return subnetIds.stream()
        .map(
            id -> {
              Subnet s = byId.get(id);
              if (s == null) {
                throw new CloudException(
                    CloudException.Kind.INVALID_REQUEST,
                    "InvalidSubnetID.NotFound",
                    "The subnet ID '" + id + "' does not exist",
                    "DescribeSubnets",
                    null);
              }
              return s;
            })
        .toList();
  }
}
