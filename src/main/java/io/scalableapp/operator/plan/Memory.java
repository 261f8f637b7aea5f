package io.scalableapp.operator.plan;

import io.scalableapp.operator.api.ScalableAppStatus;

/**
 * What the operator remembers between reconciliations, kept in status (so it survives restarts).
 *
 * @param appliedDesired the spec's desired capacity last applied to the group
 * @param failedVersion a launch template version whose rollout failed or was rolled back: not
 *     rolled out again until the spec makes a new version
 * @param failedInstances with {@code failedVersion}: the mixed instances policy (its {@link
 *     io.scalableapp.operator.cloud.InstancesPolicy#key}) the failed rollout launched through;
 *     null: the template alone
 * @param prunedThrough launch template versions up to this one were already pruned
 * @param region the AWS region the app's resources are in, once it has any
 * @param imageParameter the spec's {@code resolve:ssm:} imageId the launch template's image was
 *     resolved from, or null
 * @param image the image it resolved to, the one the launch template launches
 */
public record Memory(
    Integer appliedDesired,
    Long failedVersion,
    String failedInstances,
    Long prunedThrough,
    String region,
    String imageParameter,
    String image) {
  public static final Memory NONE = new Memory(null, null, null, null, null, null, null);

  public static Memory applied(Integer appliedDesired) {
    return NONE.withAppliedDesired(appliedDesired);
  }

  /** What a status remembers; nothing for an app without status. */
  public static Memory of(ScalableAppStatus status) {
    if (status == null) {
      return NONE;
    }
    return new Memory(
        status.appliedDesiredCapacity,
        status.rollout == null ? null : status.rollout.failedVersion,
        status.rollout == null ? null : status.rollout.failedInstances,
        status.launchTemplate == null ? null : status.launchTemplate.prunedThrough,
        status.region,
        status.image == null ? null : status.image.parameter,
        status.image == null ? null : status.image.imageId);
  }

  public Memory withAppliedDesired(Integer value) {
    return new Memory(
        value, failedVersion, failedInstances, prunedThrough, region, imageParameter, image);
  }

  public Memory withFailedVersion(Long value) {
    return withFailed(value, null);
  }

  /** A rollout toward this version, launched through this policy key, failed or was rolled back. */
  public Memory withFailed(Long version, String instancesKey) {
    return new Memory(
        appliedDesired, version, instancesKey, prunedThrough, region, imageParameter, image);
  }

  public Memory withPrunedThrough(Long value) {
    return new Memory(
        appliedDesired, failedVersion, failedInstances, value, region, imageParameter, image);
  }

  public Memory withRegion(String value) {
    return new Memory(
        appliedDesired,
        failedVersion,
        failedInstances,
        prunedThrough,
        value,
        imageParameter,
        image);
  }

  /** The launch template's image was resolved from this parameter (null, null: an AMI id). */
  public Memory withImage(String parameter, String imageId) {
    return new Memory(
        appliedDesired, failedVersion, failedInstances, prunedThrough, region, parameter, imageId);
  }
}
