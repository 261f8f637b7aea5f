package io.scalableapp.operator.api;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.fabric8.kubernetes.model.annotation.StatusReplicas;
import io.scalableapp.operator.cloud.RefreshStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** What the operator observed and did; written only by the operator. */
// Unknown fields (a newer CRD, a stray write) must not stop the informer for every app.
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
// A status that cannot be read (a stray write) must not stop the informer either.
@JsonDeserialize(using = TolerantReader.StatusDeserializer.class)
public class ScalableAppStatus {
  public enum Phase {
    Pending,
    Provisioning,
    Ready,
    Updating,
    Degraded,
    Paused,
    Deleting
  }

  @JsonPropertyDescription("The metadata.generation this status was computed for.")
  public Long observedGeneration;

  @JsonPropertyDescription("Pending, Provisioning, Ready, Updating, Degraded, Paused or Deleting.")
  public Phase phase;

  @StatusReplicas
  @JsonPropertyDescription("Instances InService in the Auto Scaling Group.")
  public Integer replicas;

  @JsonPropertyDescription("The Auto Scaling Group's current desired capacity.")
  public Integer desiredCapacity;

  @JsonPropertyDescription(
      "Instances InService per availability zone of the app's subnets (high availability at a"
          + " glance).")
  public Map<String, Integer> availabilityZones;

  @JsonPropertyDescription(
      "The zones at a glance, e.g. us-west-2a=2 us-west-2b=1 (the ZONES column of kubectl get -o"
          + " wide).")
  public String zoneSummary;

  @JsonPropertyDescription("Instances of the group (not leaving) by instance type.")
  public Map<String, Integer> instanceTypes;

  @JsonPropertyDescription(
      "The instance types at a glance, most instances first, e.g. 3 t3.micro, 1 t3a.micro (the"
          + " TYPES column of kubectl get -o wide).")
  public String instanceTypeSummary;

  @JsonPropertyDescription(
      "Instances of the group (not leaving) by purchase option: OnDemand, Spot.")
  public Map<String, Integer> purchaseOptions;

  @JsonPropertyDescription("The group's warm pool, when it has one.")
  public WarmPoolStatus warmPool;

  @JsonPropertyDescription(
      "With spec.imageId resolve:ssm:<parameter>: the image it resolved to, and the parameter's"
          + " value now when that differs (rollout.followImageParameter false).")
  public ImageStatus image;

  @JsonPropertyDescription(
      "The last spec.capacity.desired the operator applied; desired capacity is applied again only"
          + " when the spec's value differs from it.")
  public Integer appliedDesiredCapacity;

  @JsonPropertyDescription(
      "The AWS region the app's resources are in. spec.region cannot move them: delete the app and"
          + " create it anew.")
  public String region;

  @JsonPropertyDescription("The launch template and the numbered version the group uses.")
  public LaunchTemplateRef launchTemplate;

  @JsonPropertyDescription("The Auto Scaling Group.")
  public GroupRef autoScalingGroup;

  @JsonPropertyDescription("The target group and how many of its targets are healthy.")
  public TargetGroupRef targetGroup;

  @JsonPropertyDescription("The load balancer and its DNS name.")
  public LoadBalancerRef loadBalancer;

  @JsonPropertyDescription("The latest instance refresh (rollout of a launch template version).")
  public RolloutStatus rollout;

  @JsonPropertyDescription(
      "What the operator would do (or is doing) to make AWS match the spec, with reasons; shown"
          + " while paused.")
  public List<String> plannedActions;

  @JsonPropertyDescription("Ready, Progressing and Degraded.")
  public List<Condition> conditions = new ArrayList<>();

  public Optional<Condition> condition(String type) {
    return conditions == null
        ? Optional.empty()
        : conditions.stream().filter(c -> type.equals(c.type)).findFirst();
  }

  @JsonIgnore
  public boolean isReady() {
    return condition(Condition.READY).map(Condition::isTrue).orElse(false);
  }

  /** Launch template id, name and the numbered version in use. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class LaunchTemplateRef {
    @JsonPropertyDescription("Launch template id (lt-...).")
    public String id;

    @JsonPropertyDescription("Launch template name.")
    public String name;

    @JsonPropertyDescription("The numbered version the group launches.")
    public Long version;

    @JsonPropertyDescription("Older versions up to this one were pruned.")
    public Long prunedThrough;

    public LaunchTemplateRef() {}

    public LaunchTemplateRef(String id, String name, Long version) {
      this.id = id;
      this.name = name;
      this.version = version;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof LaunchTemplateRef r
          && Objects.equals(id, r.id)
          && Objects.equals(name, r.name)
          && Objects.equals(version, r.version)
          && Objects.equals(prunedThrough, r.prunedThrough);
    }

    @Override
    public int hashCode() {
      return Objects.hash(id, name, version, prunedThrough);
    }
  }

  /** Auto Scaling Group name and ARN. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class GroupRef {
    @JsonPropertyDescription("Auto Scaling Group name.")
    public String name;

    @JsonPropertyDescription("Auto Scaling Group ARN.")
    public String arn;

    public GroupRef() {}

    public GroupRef(String name, String arn) {
      this.name = name;
      this.arn = arn;
    }
  }

  /** Target group ARN and health. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class TargetGroupRef {
    @JsonPropertyDescription("Target group ARN.")
    public String arn;

    @JsonPropertyDescription("Target group name.")
    public String name;

    @JsonPropertyDescription("Targets the target group reports healthy.")
    public Integer healthyTargets;

    public TargetGroupRef() {}

    public TargetGroupRef(String arn, String name, Integer healthyTargets) {
      this.arn = arn;
      this.name = name;
      this.healthyTargets = healthyTargets;
    }
  }

  /** An instance refresh as AWS reports it, and the version the operator will not retry. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class RolloutStatus {
    @JsonPropertyDescription("Instance refresh id.")
    public String id;

    @JsonPropertyDescription(
        "Pending, InProgress, Successful, Failed, Cancelling, Cancelled, RollbackInProgress,"
            + " RollbackSuccessful, RollbackFailed or Baking.")
    public String status;

    @JsonPropertyDescription("AWS's reason for the status.")
    public String statusReason;

    @JsonPropertyDescription("Percent of instances replaced.")
    public Integer percentComplete;

    @JsonPropertyDescription("Instances still to replace.")
    public Integer instancesToUpdate;

    @JsonPropertyDescription("The launch template version being rolled out.")
    public Long targetVersion;

    @JsonPropertyDescription("When the refresh started (RFC 3339).")
    public String startedAt;

    @JsonPropertyDescription(
        "A version whose rollout failed or was rolled back; it is not rolled out again until the"
            + " spec changes.")
    public Long failedVersion;

    @JsonPropertyDescription(
        "With failedVersion: the instance types and On-Demand/Spot split the failed rollout"
            + " launched (unset: the launch template's type alone).")
    public String failedInstances;

    @JsonIgnore
    public boolean active() {
      return status != null && RefreshStatus.of(status).active();
    }
  }

  /** A warm pool: how many instances are warm, and in what state. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class WarmPoolStatus {
    @JsonPropertyDescription("Instances in the warm pool.")
    public Integer size;

    @JsonPropertyDescription("What warm instances are kept as: Stopped, Hibernated or Running.")
    public String poolState;

    @JsonPropertyDescription(
        "Warm instances by lifecycle state (Warmed:Pending, Warmed:Stopped, ...), as last read"
            + " while the app was changing; at rest they are all in the pool state.")
    public Map<String, Integer> instances;

    @JsonPropertyDescription("AWS is deleting the warm pool.")
    public Boolean deleting;
  }

  /** The image an SSM parameter resolved to. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class ImageStatus {
    @JsonPropertyDescription("The spec's imageId: resolve:ssm:<parameter>.")
    public String parameter;

    @JsonPropertyDescription("The AMI it resolved to: the one the launch template launches.")
    public String imageId;

    @JsonPropertyDescription(
        "The parameter's value now, when it differs from imageId and is not rolled out"
            + " (rollout.followImageParameter false).")
    public String latest;
  }

  /** Load balancer ARN and DNS name. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class LoadBalancerRef {
    @JsonPropertyDescription("Load balancer ARN.")
    public String arn;

    @JsonPropertyDescription("DNS name clients reach the app at.")
    public String dnsName;
  }
}
