package io.scalableapp.operator.cloud;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a load balancer listener does: on a port, HTTP or HTTPS (with its certificates, the default
 * first, and its SSL policy), forwarding to a target group or redirecting to HTTPS on another port.
 *
 * @param targetGroupArn the target group it forwards to; null when it redirects
 * @param redirectPort the HTTPS port it redirects to (301, host, path and query kept); null when it
 *     forwards
 * @param certificateArns HTTPS: the default certificate first, then the others (SNI); else empty
 * @param sslPolicy HTTPS: the SSL negotiation policy; else null
 */
public record ListenerConfig(
    int port,
    String protocol,
    String targetGroupArn,
    Integer redirectPort,
    List<String> certificateArns,
    String sslPolicy) {
  public static final String HTTP = "HTTP";
  public static final String HTTPS = "HTTPS";

  public ListenerConfig {
    certificateArns = certificateArns == null ? List.of() : List.copyOf(certificateArns);
  }

  /** HTTP, forwarding to the target group. */
  public static ListenerConfig forward(int port, String targetGroupArn) {
    return new ListenerConfig(port, HTTP, targetGroupArn, null, List.of(), null);
  }

  /** HTTP, redirecting every request to HTTPS on {@code httpsPort}. */
  public static ListenerConfig redirect(int port, int httpsPort) {
    return new ListenerConfig(port, HTTP, null, httpsPort, List.of(), null);
  }

  /** HTTPS, forwarding to the target group. */
  public static ListenerConfig https(
      int port, String targetGroupArn, List<String> certificateArns, String sslPolicy) {
    return new ListenerConfig(port, HTTPS, targetGroupArn, null, certificateArns, sslPolicy);
  }

  public boolean isHttps() {
    return HTTPS.equals(protocol);
  }

  /** The certificate HTTPS clients get without SNI; null for HTTP. */
  public String defaultCertificate() {
    return certificateArns.isEmpty() ? null : certificateArns.get(0);
  }

  /** The certificates besides the default one (the listener's certificate list). */
  public List<String> extraCertificates() {
    return certificateArns.size() <= 1
        ? List.of()
        : certificateArns.subList(1, certificateArns.size());
  }

  /**
   * What ModifyListener would change, for the event: empty when only the extra certificates differ
   * (or nothing).
   */
  public List<String> differences(ListenerConfig seen) {
    var d = new ArrayList<String>();
    if (!Objects.equals(protocol, seen.protocol)) {
      d.add("protocol " + seen.protocol + " -> " + protocol);
    }
    if (!Objects.equals(targetGroupArn, seen.targetGroupArn)
        || !Objects.equals(redirectPort, seen.redirectPort)) {
      d.add(seen.action() + " -> " + action());
    }
    if (!Objects.equals(defaultCertificate(), seen.defaultCertificate())) {
      d.add("certificate " + seen.defaultCertificate() + " -> " + defaultCertificate());
    }
    if (isHttps() && !Objects.equals(sslPolicy, seen.sslPolicy)) {
      d.add("SSL policy " + seen.sslPolicy + " -> " + sslPolicy);
    }
    return d;
  }

  /** "forward to ARN" or "redirect to HTTPS:443". */
  String action() {
    return redirectPort != null
        ? "redirect to HTTPS:" + redirectPort
        : "forward to " + targetGroupArn;
  }
}
