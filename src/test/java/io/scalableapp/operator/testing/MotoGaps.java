package io.scalableapp.operator.testing;

import io.scalableapp.operator.cloud.AutoScalingGroups;
import io.scalableapp.operator.cloud.Cloud;
import io.scalableapp.operator.cloud.CloudProvider;
import io.scalableapp.operator.cloud.GroupConfig;
import io.scalableapp.operator.cloud.GroupUpdate;
import io.scalableapp.operator.cloud.InstancesPolicy;
import io.scalableapp.operator.cloud.LaunchTemplates;
import io.scalableapp.operator.cloud.LoadBalancers;
import io.scalableapp.operator.cloud.ObservedGroup;
import io.scalableapp.operator.cloud.ObservedLaunchTemplate;
import io.scalableapp.operator.cloud.ObservedLoadBalancer;
import io.scalableapp.operator.cloud.ObservedRefresh;
import io.scalableapp.operator.cloud.RefreshPreferences;
import io.scalableapp.operator.cloud.RefreshStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The test fixture that stands in for what moto 5.1.1 lacks, in front of the real AWS adapters:
 * instance refreshes (moto answers HTTP 500), ModifyLaunchTemplate's default version and
 * DeleteLaunchTemplateVersions, and the tags of a launch template changed after its creation
 * (DescribeLaunchTemplates shows stale ones). A refresh completes at once, as a refresh whose
 * instances are all replaced would: the group is switched to the desired version through the real
 * UpdateAutoScalingGroup call. The adapters' requests for these calls are tested against AWS's
 * documented shapes in AwsUnemulatedCallsTest; this fixture only lets the reconciler run on moto.
 */
public final class MotoGaps implements CloudProvider {
  private final CloudProvider moto;
  private final Map<String, List<ObservedRefresh>> refreshes = new ConcurrentHashMap<>();
  private final Map<String, Long> defaults = new ConcurrentHashMap<>();
  private final Map<String, List<Long>> deleted = new ConcurrentHashMap<>();

  public MotoGaps(CloudProvider moto) {
    this.moto = moto;
  }

  /** Versions deleted through the fixture, by template id. */
  public List<Long> deletedVersions(String templateId) {
    return deleted.getOrDefault(templateId, List.of());
  }

  public List<ObservedRefresh> refreshesOf(String group) {
    return refreshes.getOrDefault(group, List.of());
  }

  /**
   * A launch template's tags from moto's tag store: its DescribeLaunchTemplates keeps answering
   * with the tags the template was created with, where AWS shows CreateTags and DeleteTags.
   */
  public static Map<String, String> launchTemplateTags(String templateId) {
    return launchTemplateTags(Moto.REGION, templateId);
  }

  /** As {@link #launchTemplateTags(String)}, in {@code region}. */
  public static Map<String, String> launchTemplateTags(String region, String templateId) {
    try (var ec2 = Moto.ec2(region)) {
      var tags = new TreeMap<String, String>();
      ec2.describeTags(r -> r.filters(f -> f.name("resource-id").values(templateId)))
          .tags()
          .forEach(t -> tags.put(t.key(), t.value()));
      return tags;
    }
  }

  /** Every launch template's tags from moto's tag store, by template id: one paginated listing. */
  static Map<String, Map<String, String>> launchTemplateTagsByTemplate(String region) {
    try (var ec2 = Moto.ec2(region)) {
      var byTemplate = new java.util.HashMap<String, Map<String, String>>();
      ec2.describeTagsPaginator(
              r -> r.filters(f -> f.name("resource-type").values("launch-template")))
          .tags()
          .forEach(
              t ->
                  byTemplate
                      .computeIfAbsent(t.resourceId(), k -> new TreeMap<>())
                      .put(t.key(), t.value()));
      return byTemplate;
    }
  }

  private static final java.util.regex.Pattern MOTO_CERTIFICATE =
      java.util.regex.Pattern.compile("\\{'certificate_arn': '([^']+)'\\}");

  /**
   * The listeners with their certificates as AWS lists them: after ModifyListener, moto 5.1.1's
   * DescribeListenerCertificates answers the new default certificate a second time, as the string
   * {@code {'certificate_arn': 'arn:...'}} (a known moto TODO).
   */
  public static List<ObservedLoadBalancer.Listener> withAwsCertificates(
      List<ObservedLoadBalancer.Listener> listeners) {
    return listeners.stream()
        .map(
            l -> {
              var certificates = new java.util.LinkedHashSet<String>();
              for (String c : l.certificateArns()) {
                var m = MOTO_CERTIFICATE.matcher(c);
                certificates.add(m.matches() ? m.group(1) : c);
              }
              return l.withCertificates(List.copyOf(certificates));
            })
        .toList();
  }

  /** The template with the tags and default version AWS would report. */
  private ObservedLaunchTemplate corrected(String region, ObservedLaunchTemplate lt) {
    return corrected(lt, launchTemplateTags(region, lt.id()));
  }

  private ObservedLaunchTemplate corrected(ObservedLaunchTemplate lt, Map<String, String> tags) {
    return new ObservedLaunchTemplate(
        lt.id(),
        lt.name(),
        tags,
        lt.latestVersion(),
        defaults.getOrDefault(lt.id(), lt.defaultVersion()),
        lt.latestData());
  }

  @Override
  public String region(String region) {
    return moto.region(region);
  }

  @Override
  public Cloud forRegion(String region) {
    Cloud real = moto.forRegion(region);
    String in = moto.region(region);
    LaunchTemplates lts =
        Ports.intercept(
            LaunchTemplates.class,
            real.launchTemplates(),
            (method, args) ->
                switch (method) {
                  case "find" ->
                      real.launchTemplates().find((String) args[0]).map(lt -> corrected(in, lt));
                  case "listManaged" -> {
                    // One tag listing for every template (a poll lists them all), not one each:
                    // the fixture must not load moto more than the operator does.
                    Map<String, Map<String, String>> tags = launchTemplateTagsByTemplate(in);
                    yield real.launchTemplates().listManaged().stream()
                        .map(lt -> corrected(lt, tags.getOrDefault(lt.id(), Map.of())))
                        .toList();
                  }
                  case "setDefaultVersion" -> {
                    defaults.put((String) args[0], (Long) args[1]);
                    yield null;
                  }
                  case "deleteVersions" -> {
                    @SuppressWarnings("unchecked")
                    var versions = (List<Long>) args[1];
                    deleted
                        .computeIfAbsent((String) args[0], k -> new ArrayList<>())
                        .addAll(versions);
                    yield null;
                  }
                  default -> Ports.PASS;
                });
    AutoScalingGroups asgs =
        Ports.intercept(
            AutoScalingGroups.class,
            real.autoScalingGroups(),
            (method, args) ->
                switch (method) {
                  case "refreshes" -> List.copyOf(refreshesOf((String) args[0]));
                  // moto 5.1.1 answers DescribeWarmPool with ResponseMetadata first, which the
                  // Java SDK reads as empty: the group's own answer has the configuration.
                  case "warmPool" ->
                      real.autoScalingGroups()
                          .find((String) args[0])
                          .map(ObservedGroup::warmPool)
                          .filter(java.util.Objects::nonNull);
                  case "startRefresh" -> {
                    String group = (String) args[0];
                    long version = (Long) args[2];
                    var policy = (InstancesPolicy) args[3];
                    RefreshPreferences ignored = (RefreshPreferences) args[4];
                    real.autoScalingGroups()
                        .update(
                            new GroupUpdate(
                                group,
                                null,
                                null,
                                null,
                                null,
                                (String) args[1],
                                version,
                                null,
                                policy,
                                null));
                    String id = UUID.randomUUID().toString();
                    var done =
                        new ObservedRefresh(
                            id,
                            RefreshStatus.Successful,
                            null,
                            100,
                            0,
                            version,
                            Instant.now(),
                            Instant.now(),
                            policy);
                    refreshes.compute(
                        group,
                        (k, list) -> {
                          var next = new ArrayList<ObservedRefresh>();
                          next.add(done);
                          if (list != null) {
                            next.addAll(list);
                          }
                          return next;
                        });
                    yield id;
                  }
                  case "create" -> {
                    // moto 5.1.1 ignores CreateAutoScalingGroup's LifecycleHookSpecificationList:
                    // the hooks are put right after, as AWS would hold them.
                    var config = (GroupConfig) args[0];
                    @SuppressWarnings("unchecked")
                    var tags = (Map<String, String>) args[1];
                    real.autoScalingGroups().create(config, tags);
                    config
                        .lifecycleHooks()
                        .forEach(h -> real.autoScalingGroups().putLifecycleHook(config.name(), h));
                    yield null;
                  }
                  case "cancelRefresh", "rollbackRefresh" -> null;
                  default -> Ports.PASS;
                });
    LoadBalancers lbs =
        Ports.intercept(
            LoadBalancers.class,
            real.loadBalancers(),
            (method, args) ->
                switch (method) {
                  case "find" ->
                      real.loadBalancers()
                          .find((String) args[0])
                          .map(
                              lb ->
                                  new ObservedLoadBalancer(
                                      lb.arn(),
                                      lb.dnsName(),
                                      lb.config(),
                                      lb.tags(),
                                      lb.state(),
                                      withAwsCertificates(lb.listeners())));
                  case "listeners" ->
                      withAwsCertificates(real.loadBalancers().listeners((String) args[0]));
                  default -> Ports.PASS;
                });
    return new Cloud(
        lts,
        real.subnets(),
        real.targetGroups(),
        asgs,
        lbs,
        real.purchases(),
        real.imageParameters());
  }
}
