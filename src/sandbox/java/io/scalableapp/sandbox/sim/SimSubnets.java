package io.scalableapp.sandbox.sim;

import static io.scalableapp.sandbox.sim.World.error;

import io.scalableapp.operator.cloud.CloudException.Kind;
import io.scalableapp.operator.cloud.Subnet;
import io.scalableapp.operator.cloud.Subnets;
import java.util.List;

/** EC2 subnets, read only: the user's network, as the world holds it. */
final class SimSubnets implements Subnets {
  private final World world;

  SimSubnets(World world) {
    this.world = world;
  }

  @Override
  public List<Subnet> describe(List<String> ids) {
    return ids.stream()
        .map(
            id ->
                world
                    .subnet(id)
                    .orElseThrow(
                        () ->
                            error(
                                Kind.INVALID_REQUEST,
                                "InvalidSubnetID.NotFound",
                                "The subnet ID '" + id + "' does not exist",
                                "DescribeSubnets")))
        .toList();
  }
}
