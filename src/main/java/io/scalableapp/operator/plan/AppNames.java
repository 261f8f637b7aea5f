package io.scalableapp.operator.plan;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * Deterministic AWS names of one app's resources. Every name ends in a hash of {@code
 * namespace/name}, so apps of the same name in different namespaces never collide, and each is
 * valid under AWS's limits for any Kubernetes namespace (63) and name (253) length.
 *
 * @param launchTemplate at most 128 characters of [A-Za-z0-9()./_-]
 * @param autoScalingGroup same as the launch template's name (the limit is 255)
 * @param targetGroup at most 32 characters of [A-Za-z0-9-], no leading or trailing hyphen
 * @param replacementTargetGroup the same rules: the second name a target group replaced (a new
 *     port, protocol or VPC) takes while the first still serves, and the other way round
 * @param loadBalancer same rules as the target group's name, and never beginning with "internal-"
 * @param policy the target-tracking policy's name, unique within the group
 */
public record AppNames(
    String launchTemplate,
    String autoScalingGroup,
    String targetGroup,
    String replacementTargetGroup,
    String loadBalancer,
    String policy) {
  /** The two names the app's target group alternates between. */
  public List<String> targetGroups() {
    return List.of(targetGroup, replacementTargetGroup);
  }

  static final int LONG_LIMIT = 128;
  static final int SHORT_LIMIT = 32;
  static final String POLICY = "scalableapp-cpu-target-tracking";
  static final String ELB_RESERVED_PREFIX = "internal-";

  public static AppNames of(String namespace, String name) {
    String hash = hash(namespace + "/" + name);
    String longName =
        truncate("sapp-" + namespace + "-" + name, LONG_LIMIT - hash.length() - 1) + "-" + hash;
    String shortName = shortName(name, hash);
    // ELBv2 refuses load balancer names that begin with "internal-" (its internal DNS prefix).
    // Target groups may, and keep the names they were created under.
    String loadBalancer =
        shortName.toLowerCase(Locale.ROOT).startsWith(ELB_RESERVED_PREFIX)
            ? shortName("sapp-" + name, hash)
            : shortName;
    String replacement = shortName(name, hash(namespace + "/" + name + "#replacement"));
    return new AppNames(longName, longName, shortName, replacement, loadBalancer, POLICY);
  }

  /** At most 32 of [A-Za-z0-9-], no hyphen first or last, ending in the hash. */
  private static String shortName(String name, String hash) {
    String base = name.replaceAll("[^A-Za-z0-9-]", "-");
    base = truncate(base, SHORT_LIMIT - hash.length() - 1).replaceAll("^-+|-+$", "");
    return (base.isEmpty() ? "sapp" : base) + "-" + hash;
  }

  private static String truncate(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max);
  }

  static String hash(String s) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 4);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
