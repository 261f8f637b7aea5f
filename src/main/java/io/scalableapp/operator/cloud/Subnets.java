package io.scalableapp.operator.cloud;

import java.util.List;

/** EC2 subnets, read only. */
public interface Subnets {
  /**
   * The subnets with these ids, in the same order. Throws INVALID_REQUEST with AWS's message when
   * any of them does not exist.
   */
  List<Subnet> describe(List<String> subnetIds);
}
