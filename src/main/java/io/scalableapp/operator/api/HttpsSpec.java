package io.scalableapp.operator.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/** An HTTPS listener on the load balancer, with ACM certificates, and HTTP redirected to it. */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public class HttpsSpec {
  public static final int DEFAULT_PORT = 443;

  /** AWS's recommended policy for ALB HTTPS listeners: TLS 1.3 and 1.2, forward secrecy. */
  public static final String DEFAULT_SSL_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06";

  public static final String CERTIFICATE_PATTERN =
      "^arn:aws[a-z-]*:(acm:[a-z0-9-]+:[0-9]{12}:certificate/[A-Za-z0-9-]+"
          + "|iam::[0-9]{12}:server-certificate/[A-Za-z0-9+=,.@_/-]+)$";

  public static final String SSL_POLICY_PATTERN = "^ELBSecurityPolicy-[A-Za-z0-9-]+$";

  @Required
  @Size(min = 1, max = 25)
  @ValidationRule(
      value = "self.all(c, c.matches('" + CERTIFICATE_PATTERN + "'))",
      message =
          "loadBalancer.https.certificateArns must be ACM certificate ARNs"
              + " (arn:aws:acm:REGION:ACCOUNT:certificate/ID)")
  @ValidationRule(
      value = "self.all(c, self.exists_one(d, d == c))",
      message = "loadBalancer.https.certificateArns must not repeat a certificate")
  @JsonPropertyDescription(
      "ACM certificate ARNs, in the load balancer's region: the first is the default, the others"
          + " are served by SNI. Replacing one (a renewal under a new ARN) updates the listener in"
          + " place.")
  public List<String> certificateArns;

  @Pattern(SSL_POLICY_PATTERN)
  @JsonPropertyDescription(
      "The listener's SSL policy (default " + DEFAULT_SSL_POLICY + ", AWS's recommended one).")
  public String sslPolicy;

  @Min(1)
  @Max(65535)
  @JsonPropertyDescription("Port of the HTTPS listener (default " + DEFAULT_PORT + ").")
  public Integer port;

  @JsonPropertyDescription(
      "true: the HTTP listener (loadBalancer.listenerPort) redirects every request to HTTPS (301,"
          + " host, path and query kept) instead of serving it. Default false.")
  public Boolean redirectHttp;

  public int port() {
    return port == null ? DEFAULT_PORT : port;
  }

  public String sslPolicy() {
    return sslPolicy == null ? DEFAULT_SSL_POLICY : sslPolicy;
  }

  public boolean redirectsHttp() {
    return Boolean.TRUE.equals(redirectHttp);
  }
}
