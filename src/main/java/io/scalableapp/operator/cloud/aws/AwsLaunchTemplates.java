package io.scalableapp.operator.cloud.aws;

import io.scalableapp.operator.cloud.CloudException;
import io.scalableapp.operator.cloud.LaunchTemplateData;
import io.scalableapp.operator.cloud.LaunchTemplates;
import io.scalableapp.operator.cloud.ObservedLaunchTemplate;
import io.scalableapp.operator.cloud.TagChange;
import io.scalableapp.operator.cloud.Tags;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.LaunchTemplate;
import software.amazon.awssdk.services.ec2.model.LaunchTemplateBlockDeviceMappingRequest;
import software.amazon.awssdk.services.ec2.model.LaunchTemplateEbsBlockDeviceRequest;
import software.amazon.awssdk.services.ec2.model.LaunchTemplateIamInstanceProfileSpecificationRequest;
import software.amazon.awssdk.services.ec2.model.LaunchTemplateTagSpecificationRequest;
import software.amazon.awssdk.services.ec2.model.LaunchTemplateVersion;
import software.amazon.awssdk.services.ec2.model.RequestLaunchTemplateData;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.ResponseLaunchTemplateData;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;

/** {@link LaunchTemplates} on EC2. */
public class AwsLaunchTemplates implements LaunchTemplates {
  static final String DESCRIPTION = "managed by scalableapp-operator";
  static final int MAX_VERSIONS_PER_DELETE = 200;
  private final Ec2Client ec2;
  private final int pageSize;

  public AwsLaunchTemplates(Ec2Client ec2) {
    this(ec2, AwsPages.MAX);
  }

  /** Listing at most {@code pageSize} templates per page (never more than AWS's 200). */
  public AwsLaunchTemplates(Ec2Client ec2, int pageSize) {
    this.ec2 = ec2;
    this.pageSize = AwsPages.of(pageSize, AwsPages.LAUNCH_TEMPLATES);
  }

  @Override
  public List<ObservedLaunchTemplate> listManaged() {
    return AwsErrors.call(
        "DescribeLaunchTemplates",
        () ->
            ec2
                .describeLaunchTemplatesPaginator(
                    r ->
                        r.filters(
                                Filter.builder()
                                    .name("tag:" + Tags.MANAGED_BY)
                                    .values(Tags.MANAGER)
                                    .build())
                            .maxResults(pageSize))
                .launchTemplates()
                .stream()
                .map(lt -> toObserved(lt, null))
                .toList());
  }

  @Override
  public Optional<ObservedLaunchTemplate> find(String name) {
    List<LaunchTemplate> found =
        AwsErrors.describe(
            "DescribeLaunchTemplates",
            () -> ec2.describeLaunchTemplates(r -> r.launchTemplateNames(name)).launchTemplates());
    if (found.isEmpty()) {
      return Optional.empty();
    }
    LaunchTemplate lt = found.get(0);
    List<LaunchTemplateVersion> versions =
        AwsErrors.call(
            "DescribeLaunchTemplateVersions",
            () ->
                ec2.describeLaunchTemplateVersions(
                        r -> r.launchTemplateId(lt.launchTemplateId()).versions("$Latest"))
                    .launchTemplateVersions());
    LaunchTemplateData latest =
        versions.isEmpty() ? null : toData(versions.get(0).launchTemplateData());
    return Optional.of(toObserved(lt, latest));
  }

  /** The template as the port shows it, with its latest version's data when it was read. */
  private static ObservedLaunchTemplate toObserved(LaunchTemplate lt, LaunchTemplateData latest) {
    return new ObservedLaunchTemplate(
        lt.launchTemplateId(),
        lt.launchTemplateName(),
        AwsTags.fromEc2(lt.tags()),
        lt.latestVersionNumber(),
        lt.defaultVersionNumber(),
        latest);
  }

  @Override
  public String create(
      String name, LaunchTemplateData data, Map<String, String> tags, String clientToken) {
    return AwsErrors.call(
        "CreateLaunchTemplate",
        () ->
            ec2.createLaunchTemplate(
                    r ->
                        r.launchTemplateName(name)
                            .versionDescription(DESCRIPTION)
                            .launchTemplateData(toRequest(data))
                            .clientToken(clientToken)
                            .tagSpecifications(
                                TagSpecification.builder()
                                    .resourceType(ResourceType.LAUNCH_TEMPLATE)
                                    .tags(AwsTags.toEc2(tags))
                                    .build()))
                .launchTemplate()
                .launchTemplateId());
  }

  @Override
  public long createVersion(String templateId, LaunchTemplateData data, String clientToken) {
    return AwsErrors.call(
        "CreateLaunchTemplateVersion",
        () ->
            ec2.createLaunchTemplateVersion(
                    r ->
                        r.launchTemplateId(templateId)
                            .versionDescription(DESCRIPTION)
                            .launchTemplateData(toRequest(data))
                            .clientToken(clientToken))
                .launchTemplateVersion()
                .versionNumber());
  }

  @Override
  public Map<Long, LaunchTemplateData> versions(String templateId, Collection<Long> versions) {
    if (versions.isEmpty()) {
      return Map.of();
    }
    var out = new TreeMap<Long, LaunchTemplateData>();
    try {
      describeVersions(templateId, versions)
          .forEach(v -> out.put(v.versionNumber(), toData(v.launchTemplateData())));
    } catch (CloudException e) {
      // AWS fails the whole call for one version it lacks (deleted by hand): ask one at a time.
      if (!e.is(CloudException.Kind.NOT_FOUND) || versions.size() == 1) {
        if (e.is(CloudException.Kind.NOT_FOUND)) {
          return out;
        }
        throw e;
      }
      for (long version : versions) {
        out.putAll(versions(templateId, List.of(version)));
      }
    }
    return out;
  }

  private List<LaunchTemplateVersion> describeVersions(
      String templateId, Collection<Long> versions) {
    return AwsErrors.call(
        "DescribeLaunchTemplateVersions",
        () ->
            ec2.describeLaunchTemplateVersions(
                    r ->
                        r.launchTemplateId(templateId)
                            .versions(versions.stream().map(String::valueOf).toList()))
                .launchTemplateVersions());
  }

  @Override
  public void retag(String templateId, TagChange change) {
    if (!change.set().isEmpty()) {
      AwsErrors.run(
          "CreateTags",
          () -> ec2.createTags(r -> r.resources(templateId).tags(AwsTags.toEc2(change.set()))));
    }
    if (!change.remove().isEmpty()) {
      AwsErrors.run(
          "DeleteTags",
          () ->
              ec2.deleteTags(
                  r ->
                      r.resources(templateId)
                          .tags(
                              change.remove().stream()
                                  .map(k -> Tag.builder().key(k).build())
                                  .toList())));
    }
  }

  @Override
  public void delete(String templateId) {
    AwsErrors.delete(
        "DeleteLaunchTemplate",
        () -> ec2.deleteLaunchTemplate(r -> r.launchTemplateId(templateId)));
  }

  @Override
  public void setDefaultVersion(String templateId, long version) {
    AwsErrors.run(
        "ModifyLaunchTemplate",
        () ->
            ec2.modifyLaunchTemplate(
                r -> r.launchTemplateId(templateId).defaultVersion(Long.toString(version))));
  }

  @Override
  public void deleteVersions(String templateId, List<Long> versions) {
    // AWS takes at most 200 versions per call.
    for (int from = 0; from < versions.size(); from += MAX_VERSIONS_PER_DELETE) {
      List<String> batch =
          versions.subList(from, Math.min(versions.size(), from + MAX_VERSIONS_PER_DELETE)).stream()
              .map(String::valueOf)
              .toList();
      var failed =
          AwsErrors.call(
                  "DeleteLaunchTemplateVersions",
                  () ->
                      ec2.deleteLaunchTemplateVersions(
                          r -> r.launchTemplateId(templateId).versions(batch)))
              .unsuccessfullyDeletedLaunchTemplateVersions()
              .stream()
              // AWS's per-version code for a version already gone (API ResponseError).
              .filter(
                  v ->
                      v.responseError() == null
                          || !"launchTemplateVersionDoesNotExist"
                              .equals(v.responseError().codeAsString()))
              .toList();
      if (!failed.isEmpty()) {
        var first = failed.get(0).responseError();
        throw new CloudException(
            CloudException.Kind.INVALID_REQUEST,
            first == null ? "DeleteLaunchTemplateVersions" : first.codeAsString(),
            failed.size()
                + " version(s) not deleted, e.g. "
                + failed.get(0).versionNumber()
                + ": "
                + (first == null ? "" : first.message()),
            "DeleteLaunchTemplateVersions",
            null);
      }
    }
  }

  static RequestLaunchTemplateData toRequest(LaunchTemplateData d) {
    var b = RequestLaunchTemplateData.builder().imageId(d.imageId()).instanceType(d.instanceType());
    if (d.userDataBase64() != null) {
      b.userData(d.userDataBase64());
    }
    if (d.instanceProfile() != null) {
      var profile = LaunchTemplateIamInstanceProfileSpecificationRequest.builder();
      if (d.instanceProfile().startsWith("arn:")) {
        profile.arn(d.instanceProfile());
      } else {
        profile.name(d.instanceProfile());
      }
      b.iamInstanceProfile(profile.build());
    }
    if (!d.securityGroupIds().isEmpty()) {
      b.securityGroupIds(d.securityGroupIds());
    }
    if (d.keyName() != null) {
      b.keyName(d.keyName());
    }
    var tagSpecifications = new ArrayList<LaunchTemplateTagSpecificationRequest>();
    if (!d.instanceTags().isEmpty()) {
      tagSpecifications.add(tagSpecification(ResourceType.INSTANCE, d.instanceTags()));
    }
    if (!d.volumeTags().isEmpty()) {
      tagSpecifications.add(tagSpecification(ResourceType.VOLUME, d.volumeTags()));
    }
    if (!tagSpecifications.isEmpty()) {
      b.tagSpecifications(tagSpecifications);
    }
    if (d.rootVolume() != null) {
      b.blockDeviceMappings(
          LaunchTemplateBlockDeviceMappingRequest.builder()
              .deviceName(d.rootVolume().deviceName())
              .ebs(
                  LaunchTemplateEbsBlockDeviceRequest.builder()
                      .volumeSize(d.rootVolume().sizeGiB())
                      .volumeType(d.rootVolume().type())
                      .deleteOnTermination(true)
                      .build())
              .build());
    }
    return b.build();
  }

  private static LaunchTemplateTagSpecificationRequest tagSpecification(
      ResourceType type, Map<String, String> tags) {
    return LaunchTemplateTagSpecificationRequest.builder()
        .resourceType(type)
        .tags(AwsTags.toEc2(tags))
        .build();
  }

  /** The tags a version's data specifies for one resource type; none is an empty map. */
  private static Map<String, String> tagsFor(ResponseLaunchTemplateData d, ResourceType type) {
    return d.tagSpecifications().stream()
        .filter(t -> t.resourceType() == type)
        .findFirst()
        .map(t -> AwsTags.fromEc2(t.tags()))
        .orElse(Map.of());
  }

  /** Maps a version's data back to the operator's normalized form (absent values null). */
  static LaunchTemplateData toData(ResponseLaunchTemplateData d) {
    String profile = null;
    if (d.iamInstanceProfile() != null) {
      profile =
          d.iamInstanceProfile().arn() != null
              ? d.iamInstanceProfile().arn()
              : d.iamInstanceProfile().name();
    }
    LaunchTemplateData.Volume volume =
        d.blockDeviceMappings().stream()
            .filter(m -> m.ebs() != null)
            .findFirst()
            .map(
                m ->
                    new LaunchTemplateData.Volume(
                        m.deviceName(),
                        m.ebs().volumeSize() == null ? 0 : m.ebs().volumeSize(),
                        m.ebs().volumeTypeAsString()))
            .orElse(null);
    return new LaunchTemplateData(
        d.imageId(),
        d.instanceTypeAsString(),
        emptyToNull(d.userData()),
        profile,
        d.securityGroupIds(),
        emptyToNull(d.keyName()),
        volume,
        tagsFor(d, ResourceType.INSTANCE),
        tagsFor(d, ResourceType.VOLUME));
  }

  private static String emptyToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }
}
