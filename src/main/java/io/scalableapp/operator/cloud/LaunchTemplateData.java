package io.scalableapp.operator.cloud;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The launch-template fields the operator manages, normalized so that two equal values mean "no new
 * version needed": security groups sorted, absent values null.
 *
 * @param userDataBase64 the rendered user data, base64-encoded, as EC2 stores it
 * @param instanceProfile an instance profile name or ARN
 */
public record LaunchTemplateData(
    String imageId,
    String instanceType,
    String userDataBase64,
    String instanceProfile,
    List<String> securityGroupIds,
    String keyName,
    Volume rootVolume) {

  public LaunchTemplateData {
    securityGroupIds =
        securityGroupIds == null ? List.of() : securityGroupIds.stream().sorted().toList();
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
    return diffs;
  }

  private static void diff(List<String> out, String field, Object mine, Object theirs) {
    if (!Objects.equals(mine, theirs)) {
      out.add(field + " " + theirs + " -> " + mine);
    }
  }
}
