package io.scalableapp.operator.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;

/** The ELBv2 target group the group's instances register in (instance targets). */
// Unknown fields (a newer CRD, a stray write) must not stop the informer for every app.
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TargetGroupSpec {
  public enum Protocol {
    HTTP,
    HTTPS
  }

  /** AWS's deregistration delay: its default and limit, in seconds. */
  public static final int DEFAULT_DEREGISTRATION_DELAY = 300;

  public static final int MAX_DEREGISTRATION_DELAY = 3600;

  /** AWS's slow start: 0 (off, the default) or between these, in seconds. */
  public static final int MIN_SLOW_START = 30;

  public static final int MAX_SLOW_START = 900;

  @Min(1)
  @Max(65535)
  @JsonPropertyDescription(
      "Port the instances serve on (default 80). A change replaces the target group without"
          + " downtime.")
  public Integer port;

  @SchemaFrom(type = Protocol.class)
  @JsonPropertyDescription(
      "Protocol to the instances (default HTTP). A change replaces the target group without"
          + " downtime.")
  public String protocol;

  @JsonPropertyDescription("Health check; instances failing it are replaced (ELB health checks).")
  public HealthCheck healthCheck;

  @Min(0)
  @Max(MAX_DEREGISTRATION_DELAY)
  @JsonPropertyDescription(
      "Seconds an instance leaving the target group (scale-in, rollout) keeps serving the requests"
          + " it already has before it is terminated: the deregistration delay (default "
          + DEFAULT_DEREGISTRATION_DELAY
          + ", AWS's).")
  public Integer deregistrationDelaySeconds;

  @Min(0)
  @Max(MAX_SLOW_START)
  @ValidationRule(
      value = "self == 0 || self >= " + MIN_SLOW_START,
      message =
          "targetGroup.slowStartSeconds must be 0 (off) or "
              + MIN_SLOW_START
              + " to "
              + MAX_SLOW_START)
  @JsonPropertyDescription(
      "Seconds over which a new instance's share of requests ramps up to full, so it warms up"
          + " before full load: slow start (0, the default, turns it off; otherwise "
          + MIN_SLOW_START
          + " to "
          + MAX_SLOW_START
          + ").")
  public Integer slowStartSeconds;

  public TargetGroupSpec() {}

  public TargetGroupSpec(Integer port, String protocol, HealthCheck healthCheck) {
    this.port = port;
    this.protocol = protocol;
    this.healthCheck = healthCheck;
  }
}
