package io.scalableapp.operator.cloud;

/** A VPC subnet and the availability zone it lies in. */
public record Subnet(String id, String vpcId, String availabilityZone) {}
