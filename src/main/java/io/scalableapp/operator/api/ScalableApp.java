package io.scalableapp.operator.api;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * A highly available EC2 application fleet: launch template, target group, optional load balancer,
 * Auto Scaling Group and CPU target-tracking policy, kept in AWS to match the spec.
 */
@Group(ScalableApp.GROUP)
@Version(ScalableApp.VERSION)
@Kind("ScalableApp")
@Plural("scalableapps")
@ShortNames("sapp")
@AdditionalPrinterColumn(
    name = "TYPE",
    jsonPath = ".spec.instanceType",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "MIN",
    jsonPath = ".spec.capacity.min",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
    name = "MAX",
    jsonPath = ".spec.capacity.max",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
    name = "DESIRED",
    jsonPath = ".status.desiredCapacity",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
    name = "INSERVICE",
    jsonPath = ".status.replicas",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
    name = "READY",
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].status",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "STATUS",
    jsonPath = ".status.phase",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "ENDPOINT",
    jsonPath = ".status.loadBalancer.dnsName",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "AGE",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
// -o wide only (priority 1): the instance types, compact, for mixed fleets.
@AdditionalPrinterColumn(
    name = "TYPES",
    jsonPath = ".status.instanceTypeSummary",
    type = AdditionalPrinterColumn.Type.STRING,
    priority = 1)
@AdditionalPrinterColumn(
    name = "ZONES",
    jsonPath = ".status.zoneSummary",
    type = AdditionalPrinterColumn.Type.STRING,
    priority = 1)
@AdditionalPrinterColumn(
    name = "VERSION",
    jsonPath = ".status.launchTemplate.version",
    type = AdditionalPrinterColumn.Type.INTEGER,
    priority = 1)
@AdditionalPrinterColumn(
    name = "ROLLOUT",
    jsonPath = ".status.rollout.percentComplete",
    type = AdditionalPrinterColumn.Type.INTEGER,
    priority = 1)
public class ScalableApp extends CustomResource<ScalableAppSpec, ScalableAppStatus>
    implements Namespaced {
  public static final String GROUP = "scalableapp.io";
  public static final String VERSION = "v1alpha1";

  /** {@code namespace/name}: the value of the owner tag on every AWS resource of this app. */
  public String ownerKey() {
    return getMetadata().getNamespace() + "/" + getMetadata().getName();
  }
}
