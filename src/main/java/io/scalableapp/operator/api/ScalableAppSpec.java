package io.scalableapp.operator.api;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;
import java.util.Map;

/** The fleet the user declares. Every field is validated by the CRD and again by the operator. */
// Unknown fields (a newer CRD, a stray write) must not stop the informer for every app.
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
// A body that cannot be read must become this app's InvalidSpec, not stop the informer.
@JsonDeserialize(using = TolerantReader.SpecDeserializer.class)
@ValidationRule(
    value = "!has(self.loadBalancer) || has(self.targetGroup)",
    message = "loadBalancer needs targetGroup: the listener forwards to the app's target group")
@ValidationRule(
    value =
        "!has(self.environment) || size(self.environment) == 0 || !has(self.userData)"
            + " || self.userData == '' || self.userData.startsWith('#!')",
    message = "environment needs userData to be a shell script (starting with #!) or unset")
@ValidationRule(
    value =
        "has(self.instanceType) != (has(self.instances) && (has(self.instances.types)"
            + " || has(self.instances.requirements)))",
    message =
        "give instanceType, or instances.types or instances.requirements (exactly one chooses the"
            + " instance types)")
@ValidationRule(
    value =
        "!has(self.instances) || !has(self.instances.onDemandBaseCapacity)"
            + " || self.instances.onDemandBaseCapacity <= self.capacity.max",
    message = "instances.onDemandBaseCapacity must be <= capacity.max")
@ValidationRule(
    value = "!has(self.warmPool) || !has(self.instances)",
    message =
        "warmPool cannot go with instances: AWS allows no warm pool on a group with a mixed"
            + " instances policy")
@ValidationRule(
    value =
        "!has(self.warmPool) || !has(self.warmPool.minSize)"
            + " || self.warmPool.minSize <= self.capacity.max",
    message = "warmPool.minSize must be <= capacity.max")
public class ScalableAppSpec {
  public enum DeletionPolicy {
    Delete,
    Retain
  }

  private static final String AMI_ID = "ami-([0-9a-f]{8}|[0-9a-f]{17})";

  /** How imageId names an SSM parameter that holds the image id, as launch templates take it. */
  public static final String IMAGE_PARAMETER_PREFIX = "resolve:ssm:";

  /**
   * An AMI id, or an SSM parameter: a name ({@code /aws/service/...}), optionally with a version or
   * label ({@code name:3}, {@code name:prod}).
   */
  public static final String IMAGE_PATTERN =
      "^("
          + AMI_ID
          + "|"
          + IMAGE_PARAMETER_PREFIX
          + "[A-Za-z0-9_./-]{1,1011}(:[A-Za-z0-9_.-]{1,100})?)$";

  public static final String SUBNET_PATTERN = "^subnet-([0-9a-f]{8}|[0-9a-f]{17})$";
  public static final String SG_PATTERN = "^sg-([0-9a-f]{8}|[0-9a-f]{17})$";
  public static final String REGION_PATTERN = "^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[0-9]$";
  public static final String INSTANCE_TYPE_PATTERN = "^[a-z][a-z0-9-]*\\.[a-z0-9-]+$";
  public static final String INSTANCE_PROFILE_PATTERN =
      "^([A-Za-z0-9+=,.@_-]{1,128}|arn:aws[a-z-]*:iam::[0-9]{12}:instance-profile/[A-Za-z0-9+=,.@_/-]{1,128})$";
  public static final String ENV_NAME_PATTERN = "^[A-Za-z_][A-Za-z0-9_]*$";

  /** AWS limits user data to 16 KiB before base64; the exported environment counts too. */
  public static final int USER_DATA_LIMIT = 16384;

  @Pattern(REGION_PATTERN)
  @ValidationRule(
      value = "self == oldSelf",
      message =
          "region cannot change: the app's AWS resources stay in the region they were made in"
              + " (delete the app and create it anew)")
  @JsonPropertyDescription(
      "AWS region of the fleet. Default: the operator's region (AWS SDK default chain). Cannot"
          + " change once set.")
  public String region;

  @Pattern(INSTANCE_TYPE_PATTERN)
  @JsonPropertyDescription(
      "EC2 instance type (vertical scaling). A change creates a new launch template version that is"
          + " rolled out to every running instance. Required unless instances.types or"
          + " instances.requirements choose the types.")
  public String instanceType;

  @JsonPropertyDescription(
      "Several instance types or attribute-based selection, On-Demand and Spot: the group then"
          + " launches through a mixed instances policy. Unset: instanceType, On-Demand only.")
  public InstancesSpec instances;

  @Required
  @Pattern(IMAGE_PATTERN)
  @JsonPropertyDescription(
      "AMI the instances boot from: an AMI id, or resolve:ssm:<parameter> for an SSM parameter that"
          + " holds one (e.g. resolve:ssm:/aws/service/ami-amazon-linux-latest/"
          + "al2023-ami-kernel-default-x86_64). The operator resolves the parameter, shows the image"
          + " in status.image, and rolls out a new value AWS publishes under it (unless"
          + " rollout.followImageParameter is false).")
  public String imageId;

  @Size(max = USER_DATA_LIMIT)
  @JsonPropertyDescription(
      "User data script, plain text; the operator exports the environment at its top and"
          + " base64-encodes it. At most 16 KiB including the exported environment.")
  public String userData;

  @Size(max = 100)
  @ValidationRule(
      value = "self.all(k, k.matches('" + ENV_NAME_PATTERN + "'))",
      message = "environment names must be shell variable names ([A-Za-z_][A-Za-z0-9_]*)")
  @JsonPropertyDescription("Environment variables exported at the top of the user data script.")
  public Map<String, String> environment;

  @Pattern(INSTANCE_PROFILE_PATTERN)
  @JsonPropertyDescription(
      "IAM instance profile name or ARN the instances run as (e.g. DynamoDB and S3 access).")
  public String instanceProfile;

  @Size(max = 5)
  @ValidationRule(
      value = "self.all(s, s.matches('" + SG_PATTERN + "'))",
      message = "securityGroupIds must be security group ids (sg-0123abcd)")
  @JsonPropertyDescription("Security groups of the instances.")
  public List<String> securityGroupIds;

  @Size(min = 1, max = 255)
  @JsonPropertyDescription("EC2 key pair name for SSH access.")
  public String keyName;

  @JsonPropertyDescription("Root EBS volume of the instances (vertical storage scaling).")
  public RootVolume rootVolume;

  @Required
  @Size(min = 1, max = 16)
  @ValidationRule(
      value = "self.all(s, s.matches('" + SUBNET_PATTERN + "'))",
      message = "subnetIds must be subnet ids (subnet-0123abcd)")
  @JsonPropertyDescription(
      "Subnets the group launches into; use subnets in two or more availability zones for high"
          + " availability.")
  public List<String> subnetIds;

  @Required
  @JsonPropertyDescription("Minimum, maximum and desired number of instances (horizontal scaling).")
  public Capacity capacity;

  @JsonPropertyDescription(
      "CPU target-tracking scaling policy. Unset: no policy (removed if present).")
  public Scaling scaling;

  @JsonPropertyDescription(
      "Warm pool: instances initialised ahead of need that scale-out takes first. Unset: none"
          + " (removed if present). Not with instances (AWS allows no warm pool with a mixed"
          + " instances policy).")
  public WarmPoolSpec warmPool;

  @JsonPropertyDescription(
      "Lifecycle hooks for a graceful drain on scale-in and rollouts (drainSeconds) and a launch"
          + " that waits for the app (launchTimeoutSeconds). Unset: none (the operator's hooks are"
          + " removed; hooks added by others are left alone).")
  public LifecycleSpec lifecycle;

  @JsonPropertyDescription("Target group the instances register in, with its health check.")
  public TargetGroupSpec targetGroup;

  @JsonPropertyDescription(
      "Application Load Balancer in front of the target group (needs targetGroup).")
  public LoadBalancerSpec loadBalancer;

  @JsonPropertyDescription("How launch template changes roll out to running instances.")
  public RolloutSpec rollout;

  @Size(max = 40)
  @ValidationRule(
      value = "self.all(k, !k.startsWith('aws:') && !k.startsWith('scalableapp.io/'))",
      message = "tags must not use the reserved prefixes aws: and scalableapp.io/")
  @JsonPropertyDescription(
      "Tags on every AWS resource of the app, propagated to instances at launch.")
  public Map<String, String> tags;

  // A String with the enum's schema: an unknown value must reach the operator's validator (and be
  // reported on this app) instead of failing to deserialize in the informer.
  @SchemaFrom(type = DeletionPolicy.class)
  @JsonPropertyDescription(
      "Delete (default): AWS resources are deleted with the app. Retain: they are left.")
  public String deletionPolicy;

  @JsonPropertyDescription(
      "true: observe and report the plan in status.plannedActions, change nothing in AWS.")
  public Boolean paused;

  /** What of the body could not be read, one message per value with its path; never written. */
  @JsonIgnore private List<String> unreadable = List.of();

  public List<String> unreadable() {
    return unreadable;
  }

  void unreadable(List<String> problems) {
    this.unreadable = List.copyOf(problems);
  }

  /** The SSM parameter imageId names ({@code resolve:ssm:<parameter>}), or null for an AMI id. */
  public String imageParameter() {
    return imageId != null && imageId.startsWith(IMAGE_PARAMETER_PREFIX)
        ? imageId.substring(IMAGE_PARAMETER_PREFIX.length())
        : null;
  }

  /** Whether a new value of the image parameter is rolled out (rollout.followImageParameter). */
  public boolean followsImageParameter() {
    return rollout == null || !Boolean.FALSE.equals(rollout.followImageParameter);
  }

  public boolean pauseRequested() {
    return Boolean.TRUE.equals(paused);
  }

  public boolean retainsResources() {
    return DeletionPolicy.Retain.name().equals(deletionPolicy);
  }
}
