package io.scalableapp.operator.plan;

import static io.scalableapp.operator.api.ScalableAppSpec.ENV_NAME_PATTERN;
import static io.scalableapp.operator.api.ScalableAppSpec.IMAGE_PATTERN;
import static io.scalableapp.operator.api.ScalableAppSpec.INSTANCE_PROFILE_PATTERN;
import static io.scalableapp.operator.api.ScalableAppSpec.INSTANCE_TYPE_PATTERN;
import static io.scalableapp.operator.api.ScalableAppSpec.SG_PATTERN;

import io.scalableapp.operator.api.RootVolume;
import io.scalableapp.operator.api.ScalableAppSpec;
import io.scalableapp.operator.cloud.Cloud;
import io.scalableapp.operator.cloud.LaunchTemplateData;
import io.scalableapp.operator.cloud.ObservedLaunchTemplate;
import io.scalableapp.operator.cloud.TagChange;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The launch template (vertical scaling): a new numbered version whenever the data the spec asks
 * for differs from the latest version's. Gives its dependents the template's id and the version
 * that holds the spec.
 */
public final class LaunchTemplatePlanner implements PartialPlanner<LaunchTemplatePlanner.Version> {
  /** A numbered version of the app's launch template that holds what the spec asks for. */
  public record Version(String templateId, long number) {}

  @Override
  public void validate(ScalableAppSpec s, Problems v) {
    v.pattern("spec.instanceType", s.instanceType, INSTANCE_TYPE_PATTERN, false);
    v.pattern("spec.imageId", s.imageId, IMAGE_PATTERN, true);
    v.pattern("spec.instanceProfile", s.instanceProfile, INSTANCE_PROFILE_PATTERN, false);
    if (s.keyName != null && (s.keyName.isEmpty() || s.keyName.length() > 255)) {
      v.add("spec.keyName: must be 1 to 255 characters");
    }
    v.ids("spec.securityGroupIds", s.securityGroupIds, SG_PATTERN, 0, 5, false);
    environment(v, s);
    if (s.rootVolume != null) {
      v.range("spec.rootVolume.sizeGiB", s.rootVolume.sizeGiB, 1, 16384, true);
      v.oneOf("spec.rootVolume.type", s.rootVolume.type, RootVolume.Type.class);
      v.pattern("spec.rootVolume.deviceName", s.rootVolume.deviceName, "^/dev/[a-z0-9]+$", false);
    }
  }

  private static void environment(Problems v, ScalableAppSpec s) {
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

  /**
   * The template data the spec asks for, every default filled in, normalised like AWS's; without
   * the tags it puts on instances and volumes (the app's tags, {@code withTags}).
   */
  public static LaunchTemplateData desired(ScalableAppSpec s) {
    return desired(s, s.imageId);
  }

  /** The same, launching {@code imageId} (what the spec's image parameter resolved to). */
  static LaunchTemplateData desired(ScalableAppSpec s, String imageId) {
    RootVolume rv = s.rootVolume;
    return new LaunchTemplateData(
        imageId,
        Instances.templateType(s),
        UserData.renderBase64(s.userData, s.environment),
        s.instanceProfile,
        s.securityGroupIds,
        s.keyName,
        rv == null
            ? null
            : new LaunchTemplateData.Volume(
                rv.deviceName == null ? RootVolume.DEFAULT_DEVICE : rv.deviceName,
                rv.sizeGiB,
                rv.type == null ? RootVolume.Type.gp3.name() : rv.type));
  }

  /**
   * The image to launch: the spec's AMI id, or what its SSM parameter holds now; with
   * rollout.followImageParameter false, what the parameter resolved to when imageId last changed.
   * Null while the parameter is unread.
   */
  static String image(PlanContext c) {
    ScalableAppSpec s = c.spec();
    if (s.imageParameter() == null) {
      return s.imageId;
    }
    Memory m = c.memory();
    if (!s.followsImageParameter() && s.imageId.equals(m.imageParameter()) && m.image() != null) {
      return m.image();
    }
    return c.observed().parameterImage().orElse(null);
  }

  @Override
  public Optional<Version> plan(PlanContext c) {
    String image = image(c);
    if (image == null) {
      c.waitFor("the image in SSM parameter " + c.spec().imageParameter());
      return Optional.empty();
    }
    LaunchTemplateData want = desired(c.spec(), image).withTags(c.desired().tags());
    Optional<ObservedLaunchTemplate> seen = c.observed().launchTemplate();
    if (seen.isEmpty()) {
      c.add(
          new CreateLaunchTemplate(
              c.desired().names().launchTemplate(),
              want,
              c.desired().tags(),
              "launch template does not exist"));
      return Optional.empty();
    }
    ObservedLaunchTemplate lt = seen.get();
    if (!c.owned("launch template", lt.name(), lt.tags())) {
      return Optional.empty();
    }
    TagChange tags = TagChange.between(c.desired().tags(), lt.tags());
    if (!tags.isEmpty()) {
      c.add(new RetagLaunchTemplate(lt.id(), tags, tags.describe(lt.tags())));
    }
    if (!want.equals(lt.latestData())) {
      List<String> diffs =
          lt.latestData() == null
              ? List.of("latest version unreadable")
              : want.differences(lt.latestData());
      c.add(
          new CreateLaunchTemplateVersion(
              lt.id(), lt.latestVersion(), want, String.join("; ", diffs)));
      return Optional.empty();
    }
    String parameter = c.spec().imageParameter() == null ? null : c.spec().imageId;
    c.remember(m -> m.withImage(parameter, parameter == null ? null : image));
    return Optional.of(new Version(lt.id(), lt.latestVersion()));
  }

  @Override
  public boolean delete(DeletionContext c) {
    c.observed()
        .launchTemplate()
        .filter(lt -> c.owned("launch template", lt.name(), lt.tags()))
        .ifPresent(lt -> c.remove(new DeleteLaunchTemplate(lt.id(), "app deleted")));
    return true;
  }

  public record CreateLaunchTemplate(
      String name, LaunchTemplateData data, Map<String, String> tags, String reason)
      implements Action {
    @Override
    public void apply(Cloud cloud) {
      cloud.launchTemplates().create(name, data, tags, ClientTokens.of(name, data.toString()));
    }
  }

  public record CreateLaunchTemplateVersion(
      String templateId, long baseVersion, LaunchTemplateData data, String reason)
      implements Action {
    @Override
    public void apply(Cloud cloud) {
      // The base version is part of the token, so going back to an earlier spec makes a new
      // version.
      cloud
          .launchTemplates()
          .createVersion(
              templateId,
              data,
              ClientTokens.of(templateId, Long.toString(baseVersion), data.toString()));
    }
  }

  public record RetagLaunchTemplate(String templateId, TagChange change, String reason)
      implements Action {
    @Override
    public void apply(Cloud cloud) {
      cloud.launchTemplates().retag(templateId, change);
    }
  }

  public record DeleteLaunchTemplate(String templateId, String reason) implements Action {
    @Override
    public void apply(Cloud cloud) {
      cloud.launchTemplates().delete(templateId);
    }
  }
}
