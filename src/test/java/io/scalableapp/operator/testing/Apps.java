package io.scalableapp.operator.testing;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.scalableapp.operator.api.Capacity;
import io.scalableapp.operator.api.HealthCheck;
import io.scalableapp.operator.api.ScalableApp;
import io.scalableapp.operator.api.ScalableAppSpec;
import io.scalableapp.operator.api.Scaling;
import io.scalableapp.operator.api.TargetGroupSpec;
import java.util.List;
import java.util.Map;

/** ScalableApps for tests. */
public final class Apps {
  public static final String AMI = "ami-0123456789abcdef0";

  /** The kind for generic (raw JSON) access, for bodies that do not read as a ScalableApp. */
  public static final ResourceDefinitionContext RAW =
      new ResourceDefinitionContext.Builder()
          .withGroup(ScalableApp.GROUP)
          .withVersion(ScalableApp.VERSION)
          .withKind("ScalableApp")
          .withPlural("scalableapps")
          .withNamespaced(true)
          .build();

  private Apps() {}

  /** A fleet of 2..4 t3.micro with a target group, a CPU policy, user data and environment. */
  public static ScalableApp web(String namespace, String name, List<String> subnets) {
    var spec = new ScalableAppSpec();
    spec.instanceType = "t3.micro";
    spec.imageId = AMI;
    spec.userData = "#!/bin/bash\necho hello > /tmp/hello\n";
    spec.environment = Map.of("PHOTOS_BUCKET", "employee-photos");
    spec.subnetIds = subnets;
    spec.capacity = new Capacity(2, 4, null);
    spec.scaling = new Scaling(50.0, 120, false);
    spec.targetGroup =
        new TargetGroupSpec(80, "HTTP", new HealthCheck("/health", 30, 5, 3, 2, "200"));
    spec.tags = Map.of("team", "hr");
    var app = new ScalableApp();
    app.setMetadata(new ObjectMetaBuilder().withNamespace(namespace).withName(name).build());
    app.setSpec(spec);
    return app;
  }
}
