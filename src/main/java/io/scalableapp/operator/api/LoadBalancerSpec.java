package io.scalableapp.operator.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/**
 * An Application Load Balancer with an HTTP listener forwarding to the app's target group, and
 * optionally an HTTPS one.
 */
// Unknown fields (a newer CRD, a stray write) must not stop the informer for every app.
@JsonIgnoreProperties(ignoreUnknown = true)
@ValidationRule(
    value =
        "!has(self.https) || (has(self.https.port) ? self.https.port : 443)"
            + " != (has(self.listenerPort) ? self.listenerPort : 80)",
    message = "loadBalancer.https.port must differ from loadBalancer.listenerPort")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class LoadBalancerSpec {
  public enum Scheme {
    @JsonProperty("internet-facing")
    INTERNET_FACING,
    @JsonProperty("internal")
    INTERNAL
  }

  public static final String DEFAULT_SCHEME = "internet-facing";
  public static final int DEFAULT_LISTENER_PORT = 80;

  @SchemaFrom(type = Scheme.class)
  @ValidationRule(
      value = "self == oldSelf",
      message =
          "loadBalancer.scheme cannot change in place (remove spec.loadBalancer, then add it"
              + " back)")
  @JsonPropertyDescription(DEFAULT_SCHEME + " (default) or internal; cannot change in place.")
  public String scheme;

  @Required
  @Size(min = 2, max = 16)
  @ValidationRule(
      value = "self.all(s, s.matches('" + ScalableAppSpec.SUBNET_PATTERN + "'))",
      message = "loadBalancer.subnetIds must be subnet ids (subnet-0123abcd)")
  @JsonPropertyDescription("Subnets for the load balancer, in at least two availability zones.")
  public List<String> subnetIds;

  @Size(max = 5)
  @ValidationRule(
      value = "self.all(s, s.matches('" + ScalableAppSpec.SG_PATTERN + "'))",
      message = "loadBalancer.securityGroupIds must be security group ids (sg-0123abcd)")
  @JsonPropertyDescription("Security groups of the load balancer.")
  public List<String> securityGroupIds;

  @Min(1)
  @Max(65535)
  @JsonPropertyDescription("Port of the HTTP listener (default " + DEFAULT_LISTENER_PORT + ").")
  public Integer listenerPort;

  @JsonPropertyDescription(
      "An HTTPS listener forwarding to the target group, with ACM certificates, an SSL policy and"
          + " optionally HTTP redirected to it. Unset: HTTP only.")
  public HttpsSpec https;
}
