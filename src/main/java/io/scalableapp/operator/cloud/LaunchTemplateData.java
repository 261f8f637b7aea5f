package io.scalableapp.operator.cloud;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The launch-template fields the operator manages, normalized so that two equal values mean "no new
 * version needed": security groups sorted, absent values null, no tags an empty map.
 *
 * @param userDataBase64 the rendered user data, base64-encoded, as EC2 stores it
 * @param instanceProfile an instance profile name or ARN
 * @param instanceTags the tag specification for the instances it launches
 * @param volumeTags the tag specification for their EBS volumes
 */
public record LaunchTemplateData(
    String imageId,
    String instanceType,
    String userDataBase64,
    String instanceProfile,
    List<String> securityGroupIds,
    String keyName,
    Volume rootVolume,
    Map<String, String> instanceTags,
    Map<String, String> volumeTags) {

  public LaunchTemplateData {
    securityGroupIds =
        securityGroupIds == null ? List.of() : securityGroupIds.stream().sorted().toList();
    instanceTags = instanceTags == null ? Map.of() : Map.copyOf(instanceTags);
    volumeTags = volumeTags == null ? Map.of() : Map.copyOf(volumeTags);
  }

  /** Without tag specifications. */
  public LaunchTemplateData(
      String imageId,
      String instanceType,
      String userDataBase64,
      String instanceProfile,
      List<String> securityGroupIds,
      String keyName,
      Volume rootVolume) {
    this(
        imageId,
        instanceType,
        userDataBase64,
        instanceProfile,
        securityGroupIds,
        keyName,
        rootVolume,
        Map.of(),
        Map.of());
  }

  /** The same data with these tags for instances and volumes. */
  public LaunchTemplateData withTags(Map<String, String> tags) {
    return new LaunchTemplateData(
        imageId,
        instanceType,
        userDataBase64,
        instanceProfile,
        securityGroupIds,
        keyName,
        rootVolume,
        tags,
        tags);
  }

  /**
   * Instances launched from either run the same thing: the data differs at most in the tags of what
   * they launch, so an instance on one need not be replaced by one on the other.
   */
  public boolean sameLaunch(LaunchTemplateData other) {
    return other != null && withTags(Map.of()).equals(other.withTags(Map.of()));
  }

  /**
   * As {@link #sameLaunch}, the instance type aside: a mixed instances policy's list of types
   * decides the type, not the template.
   */
  public boolean sameLaunchAnyType(LaunchTemplateData other) {
    return other != null && anyType().sameLaunch(other.anyType());
  }

  private LaunchTemplateData anyType() {
    return new LaunchTemplateData(
        imageId,
        null,
        userDataBase64,
        instanceProfile,
        securityGroupIds,
        keyName,
        rootVolume,
        instanceTags,
        volumeTags);
  }

  /** An EBS root volume. */
  public record Volume(String deviceName, int sizeGiB, String type) {}

  /** Names of the fields that differ from {@code other}, for the action's reason. */
  public List<String> differences(LaunchTemplateData other) {
    var diffs = new ArrayList<String>();
    diff(diffs, "imageId", imageId, other.imageId);
    diff(diffs, "instanceType", instanceType, other.instanceType);
    if (!Objects.equals(userDataBase64, other.userDataBase64)) {
      diffs.add("userData changed");
    }
    diff(diffs, "instanceProfile", instanceProfile, other.instanceProfile);
    diff(diffs, "securityGroupIds", securityGroupIds, other.securityGroupIds);
    diff(diffs, "keyName", keyName, other.keyName);
    diff(diffs, "rootVolume", rootVolume, other.rootVolume);
    if (!instanceTags.equals(other.instanceTags) || !volumeTags.equals(other.volumeTags)) {
      diffs.add("tags of instances and volumes changed");
    }
    return diffs;
  }

  private static void diff(List<String> out, String field, Object mine, Object theirs) {
    if (!Objects.equals(mine, theirs)) {
      out.add(field + " " + theirs + " -> " + mine);
    }
  }
}
