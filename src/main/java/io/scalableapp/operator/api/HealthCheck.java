package io.scalableapp.operator.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.ValidationRule;

/** The target group's HTTP health check. Unset fields take the defaults shown. */
// Unknown fields (a newer CRD, a stray write) must not stop the informer for every app.
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value =
        "(has(self.timeoutSeconds) ? self.timeoutSeconds : 5)"
            + " < (has(self.intervalSeconds) ? self.intervalSeconds : 30)",
    message =
        "healthCheck.timeoutSeconds (default 5) must be less than healthCheck.intervalSeconds"
            + " (default 30)")
public class HealthCheck {
  public static final String DEFAULT_PATH = "/";
  public static final int DEFAULT_INTERVAL = 30;
  public static final int DEFAULT_TIMEOUT = 5;
  public static final int DEFAULT_HEALTHY = 5;
  public static final int DEFAULT_UNHEALTHY = 2;
  public static final String DEFAULT_MATCHER = "200";

  @Pattern("^/.{0,1023}$")
  @JsonPropertyDescription("HTTP path probed on each instance (default /).")
  public String path;

  @Min(5)
  @Max(300)
  @JsonPropertyDescription("Seconds between health checks (default 30).")
  public Integer intervalSeconds;

  @Min(2)
  @Max(120)
  @JsonPropertyDescription("Seconds without a response before a check fails (default 5).")
  public Integer timeoutSeconds;

  @Min(2)
  @Max(10)
  @JsonPropertyDescription("Consecutive successes before a target is healthy (default 5).")
  public Integer healthyThreshold;

  @Min(2)
  @Max(10)
  @JsonPropertyDescription("Consecutive failures before a target is unhealthy (default 2).")
  public Integer unhealthyThreshold;

  @Pattern("^[0-9]{3}(-[0-9]{3})?(,[0-9]{3}(-[0-9]{3})?)*$")
  @JsonPropertyDescription(
      "HTTP codes that mean healthy: \"200\", \"200,302\" or \"200-399\" (default 200).")
  public String matcher;

  public HealthCheck() {}

  public HealthCheck(
      String path,
      Integer intervalSeconds,
      Integer timeoutSeconds,
      Integer healthyThreshold,
      Integer unhealthyThreshold,
      String matcher) {
    this.path = path;
    this.intervalSeconds = intervalSeconds;
    this.timeoutSeconds = timeoutSeconds;
    this.healthyThreshold = healthyThreshold;
    this.unhealthyThreshold = unhealthyThreshold;
    this.matcher = matcher;
  }
}
