package io.scalableapp.operator.plan;

import io.scalableapp.operator.api.ScalableApp;
import io.scalableapp.operator.api.ScalableAppSpec;
import io.scalableapp.operator.cloud.Ids;
import io.scalableapp.operator.cloud.Tags;
import java.util.List;
import java.util.Map;

/**
 * One app as the planners see it: its owner, AWS names, tags and valid spec. Each partial planner
 * derives what AWS should hold for its capability from the spec, with its own defaults.
 *
 * @param tags the owner and managed-by tags and the spec's tags, for every resource
 */
public record DesiredApp(
    String ownerKey,
    String region,
    AppNames names,
    Map<String, String> tags,
    ScalableAppSpec spec) {

  /** For a spec {@link SpecValidator} accepts. */
  public static DesiredApp from(ScalableApp app) {
    ScalableAppSpec s = app.getSpec();
    return new DesiredApp(
        app.ownerKey(),
        s.region,
        AppNames.of(app.getMetadata().getNamespace(), app.getMetadata().getName()),
        Tags.forApp(app.ownerKey(), s.tags),
        s);
  }

  /** The group's subnets, sorted. */
  public List<String> subnetIds() {
    return Ids.sorted(spec.subnetIds);
  }

  public boolean wantsLoadBalancer() {
    return spec.loadBalancer != null;
  }
}
