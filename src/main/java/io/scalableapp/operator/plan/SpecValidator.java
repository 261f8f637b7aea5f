package io.scalableapp.operator.plan;

import static io.scalableapp.operator.api.ScalableAppSpec.AMI_PATTERN;
import static io.scalableapp.operator.api.ScalableAppSpec.ENV_NAME_PATTERN;
import static io.scalableapp.operator.api.ScalableAppSpec.INSTANCE_PROFILE_PATTERN;
import static io.scalableapp.operator.api.ScalableAppSpec.INSTANCE_TYPE_PATTERN;
import static io.scalableapp.operator.api.ScalableAppSpec.REGION_PATTERN;
import static io.scalableapp.operator.api.ScalableAppSpec.SG_PATTERN;
import static io.scalableapp.operator.api.ScalableAppSpec.SUBNET_PATTERN;

import io.scalableapp.operator.api.Capacity;
import io.scalableapp.operator.api.HealthCheck;
import io.scalableapp.operator.api.LoadBalancerSpec;
import io.scalableapp.operator.api.RolloutSpec;
import io.scalableapp.operator.api.RootVolume;
import io.scalableapp.operator.api.ScalableAppSpec;
import io.scalableapp.operator.api.TargetGroupSpec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Re-checks every rule the CRD's schema and CEL rules state, since a CRD can be installed without
 * them (or an older one): an invalid spec must never reach AWS. Pure.
 */
public final class SpecValidator {
  private SpecValidator() {}

  /** One message per broken rule, naming the field; empty when the spec is valid. */
  public static List<String> validate(ScalableAppSpec s) {
    var v = new Errors();
    if (s == null) {
      v.add("spec: required");
      return v.list;
    }
    v.pattern("spec.region", s.region, REGION_PATTERN, false);
    v.pattern("spec.instanceType", s.instanceType, INSTANCE_TYPE_PATTERN, true);
    v.pattern("spec.imageId", s.imageId, AMI_PATTERN, true);
    v.pattern("spec.instanceProfile", s.instanceProfile, INSTANCE_PROFILE_PATTERN, false);
    if (s.keyName != null && (s.keyName.isEmpty() || s.keyName.length() > 255)) {
      v.add("spec.keyName: must be 1 to 255 characters");
    }
    v.ids("spec.subnetIds", s.subnetIds, SUBNET_PATTERN, 1, 16, true);
    v.ids("spec.securityGroupIds", s.securityGroupIds, SG_PATTERN, 0, 5, false);
    environment(v, s);
    capacity(v, s.capacity);
    if (s.scaling != null) {
      v.range("spec.scaling.targetCpuUtilization", s.scaling.targetCpuUtilization, 1, 100, true);
      v.range(
          "spec.scaling.estimatedWarmupSeconds", s.scaling.estimatedWarmupSeconds, 0, 3600, false);
    }
    if (s.rootVolume != null) {
      v.range("spec.rootVolume.sizeGiB", s.rootVolume.sizeGiB, 1, 16384, true);
      v.oneOf("spec.rootVolume.type", s.rootVolume.type, RootVolume.Type.class);
      v.pattern("spec.rootVolume.deviceName", s.rootVolume.deviceName, "^/dev/[a-z0-9]+$", false);
    }
    v.oneOf("spec.deletionPolicy", s.deletionPolicy, ScalableAppSpec.DeletionPolicy.class);
    if (s.targetGroup != null) {
      v.oneOf("spec.targetGroup.protocol", s.targetGroup.protocol, TargetGroupSpec.Protocol.class);
      v.range("spec.targetGroup.port", s.targetGroup.port, 1, 65535, false);
      healthCheck(v, s.targetGroup.healthCheck);
    }
    loadBalancer(v, s);
    rollout(v, s.rollout);
    if (s.tags != null) {
      if (s.tags.size() > 40) {
        v.add("spec.tags: at most 40 tags");
      }
      s.tags.keySet().stream()
          .filter(k -> k.startsWith("aws:") || k.startsWith("scalableapp.io/"))
          .forEach(
              k -> v.add("spec.tags: '" + k + "' uses a reserved prefix (aws:, scalableapp.io/)"));
    }
    return v.list;
  }

  private static void environment(Errors v, ScalableAppSpec s) {
    Map<String, String> env = s.environment;
    if (env != null && !env.isEmpty()) {
      if (env.size() > 100) {
        v.add("spec.environment: at most 100 variables");
      }
      env.keySet().stream()
          .filter(k -> !k.matches(ENV_NAME_PATTERN))
          .forEach(k -> v.add("spec.environment: '" + k + "' is not a shell variable name"));
      if (!UserData.acceptsEnvironment(s.userData)) {
        v.add("spec.environment: needs spec.userData to be a shell script (starting with #!)");
      }
    }
    String rendered = UserData.render(s.userData, env);
    if (rendered != null
        && rendered.getBytes(StandardCharsets.UTF_8).length > ScalableAppSpec.USER_DATA_LIMIT) {
      v.add("spec.userData: with the exported environment it exceeds AWS's limit of 16384 bytes");
    }
  }

  private static void capacity(Errors v, Capacity c) {
    if (c == null) {
      v.add("spec.capacity: required");
      return;
    }
    v.range("spec.capacity.min", c.min, 0, Capacity.LIMIT, true);
    v.range("spec.capacity.max", c.max, 0, Capacity.LIMIT, true);
    v.range("spec.capacity.desired", c.desired, 0, Capacity.LIMIT, false);
    if (c.min != null && c.max != null && c.min > c.max) {
      v.add("spec.capacity: min (" + c.min + ") must be <= max (" + c.max + ")");
    }
    if (c.desired != null
        && c.min != null
        && c.max != null
        && (c.desired < c.min || c.desired > c.max)) {
      v.add(
          "spec.capacity: desired ("
              + c.desired
              + ") must be within ["
              + c.min
              + ", "
              + c.max
              + "]");
    }
  }

  private static void healthCheck(Errors v, HealthCheck hc) {
    if (hc == null) {
      return;
    }
    v.pattern("spec.targetGroup.healthCheck.path", hc.path, "^/.{0,1023}$", false);
    v.range("spec.targetGroup.healthCheck.intervalSeconds", hc.intervalSeconds, 5, 300, false);
    v.range("spec.targetGroup.healthCheck.timeoutSeconds", hc.timeoutSeconds, 2, 120, false);
    v.range("spec.targetGroup.healthCheck.healthyThreshold", hc.healthyThreshold, 2, 10, false);
    v.range("spec.targetGroup.healthCheck.unhealthyThreshold", hc.unhealthyThreshold, 2, 10, false);
    v.pattern(
        "spec.targetGroup.healthCheck.matcher",
        hc.matcher,
        "^[0-9]{3}(-[0-9]{3})?(,[0-9]{3}(-[0-9]{3})?)*$",
        false);
    int timeout = hc.timeoutSeconds == null ? HealthCheck.DEFAULT_TIMEOUT : hc.timeoutSeconds;
    int interval = hc.intervalSeconds == null ? HealthCheck.DEFAULT_INTERVAL : hc.intervalSeconds;
    if (timeout >= interval) {
      v.add(
          "spec.targetGroup.healthCheck: timeoutSeconds ("
              + timeout
              + ") must be less than intervalSeconds ("
              + interval
              + ")");
    }
  }

  private static void loadBalancer(Errors v, ScalableAppSpec s) {
    LoadBalancerSpec lb = s.loadBalancer;
    if (lb == null) {
      return;
    }
    if (s.targetGroup == null) {
      v.add(
          "spec.loadBalancer: needs spec.targetGroup (the listener forwards to the app's target"
              + " group)");
    }
    v.oneOf("spec.loadBalancer.scheme", lb.scheme, LoadBalancerSpec.Scheme.class);
    v.ids("spec.loadBalancer.subnetIds", lb.subnetIds, SUBNET_PATTERN, 2, 16, true);
    v.ids("spec.loadBalancer.securityGroupIds", lb.securityGroupIds, SG_PATTERN, 0, 5, false);
    v.range("spec.loadBalancer.listenerPort", lb.listenerPort, 1, 65535, false);
  }

  private static void rollout(Errors v, RolloutSpec r) {
    if (r == null) {
      return;
    }
    v.range("spec.rollout.minHealthyPercentage", r.minHealthyPercentage, 0, 100, false);
    v.range("spec.rollout.maxHealthyPercentage", r.maxHealthyPercentage, 100, 200, false);
    v.range("spec.rollout.instanceWarmupSeconds", r.instanceWarmupSeconds, 0, 3600, false);
    DesiredApp.rollout(r).violations().forEach(problem -> v.add("spec.rollout: " + problem));
  }

  private static final class Errors {
    final List<String> list = new ArrayList<>();

    void add(String message) {
      list.add(message);
    }

    void pattern(String field, String value, String regex, boolean required) {
      if (value == null) {
        if (required) {
          add(field + ": required");
        }
      } else if (!value.matches(regex)) {
        add(field + ": '" + value + "' does not match " + regex);
      }
    }

    /** The value must be one of the enum's JSON names (its @JsonProperty value or its name). */
    void oneOf(String field, String value, Class<? extends Enum<?>> type) {
      if (value == null) {
        return;
      }
      List<String> allowed = new ArrayList<>();
      for (Enum<?> e : type.getEnumConstants()) {
        try {
          var json =
              type.getField(e.name())
                  .getAnnotation(com.fasterxml.jackson.annotation.JsonProperty.class);
          allowed.add(json != null ? json.value() : e.name());
        } catch (NoSuchFieldException impossible) {
          throw new IllegalStateException(impossible);
        }
      }
      if (!allowed.contains(value)) {
        add(field + ": '" + value + "' is not one of " + allowed);
      }
    }

    void range(String field, Number value, double min, double max, boolean required) {
      if (value == null) {
        if (required) {
          add(field + ": required");
        }
      } else if (value.doubleValue() < min || value.doubleValue() > max) {
        add(field + ": " + value + " is outside [" + fmt(min) + ", " + fmt(max) + "]");
      }
    }

    void ids(
        String field,
        Collection<String> ids,
        String regex,
        int minItems,
        int maxItems,
        boolean required) {
      if (ids == null) {
        if (required) {
          add(field + ": required");
        }
        return;
      }
      if (ids.size() < minItems || ids.size() > maxItems) {
        add(field + ": needs " + minItems + " to " + maxItems + " items, has " + ids.size());
      }
      ids.stream()
          .filter(id -> id == null || !id.matches(regex))
          .forEach(id -> add(field + ": '" + id + "' does not match " + regex));
    }

    private static String fmt(double d) {
      return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }
  }
}
