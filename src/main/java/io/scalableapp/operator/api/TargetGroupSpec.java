package io.scalableapp.operator.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/** The ELBv2 target group the group's instances register in (instance targets). */
// Unknown fields (a newer CRD, a stray write) must not stop the informer for every app.
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TargetGroupSpec {
  public enum Protocol {
    HTTP,
    HTTPS
  }

  @Min(1)
  @Max(65535)
  @JsonPropertyDescription(
      "Port the instances serve on (default 80). Changing it is not supported in place.")
  public Integer port;

  @SchemaFrom(type = Protocol.class)
  @JsonPropertyDescription(
      "Protocol to the instances (default HTTP). Changing it is not supported in place.")
  public String protocol;

  @JsonPropertyDescription("Health check; instances failing it are replaced (ELB health checks).")
  public HealthCheck healthCheck;

  public TargetGroupSpec() {}

  public TargetGroupSpec(Integer port, String protocol, HealthCheck healthCheck) {
    this.port = port;
    this.protocol = protocol;
    this.healthCheck = healthCheck;
  }
}
