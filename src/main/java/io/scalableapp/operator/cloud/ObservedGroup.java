package io.scalableapp.operator.cloud;

import java.util.List;
import java.util.Map;

/**
 * An Auto Scaling Group as AWS reports it.
 *
 * @param launchTemplateVersion the numbered version the group launches; null if it names none (e.g.
 *     $Latest) or uses no launch template
 * @param status null normally; "Delete in progress" while AWS deletes it
 */
public record ObservedGroup(
    String name,
    String arn,
    int min,
    int max,
    int desired,
    List<String> subnetIds,
    String launchTemplateId,
    Long launchTemplateVersion,
    List<String> targetGroupArns,
    String healthCheckType,
    Map<String, String> tags,
    List<ObservedInstance> instances,
    String status) {

  public long inService() {
    return instances.stream().filter(ObservedInstance::inService).count();
  }

  public boolean deleting() {
    return status != null && status.toLowerCase().contains("delete");
  }
}
