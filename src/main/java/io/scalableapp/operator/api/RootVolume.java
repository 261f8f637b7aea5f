package io.scalableapp.operator.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** The instances' root EBS volume; a change rolls out like an instance-type change. */
// Unknown fields (a newer CRD, a stray write) must not stop the informer for every app.
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RootVolume {
  public static final String DEFAULT_DEVICE = "/dev/xvda";

  public enum Type {
    gp2,
    gp3,
    io1,
    io2,
    st1,
    sc1,
    standard
  }

  @Required
  @Min(1)
  @Max(16384)
  @JsonPropertyDescription("Size of the root volume in GiB.")
  public Integer sizeGiB;

  @SchemaFrom(type = Type.class)
  @JsonPropertyDescription("EBS volume type (default gp3).")
  public String type;

  @Pattern("^/dev/[a-z0-9]+$")
  @JsonPropertyDescription("The image's root device name (default /dev/xvda, as on Amazon Linux).")
  public String deviceName;

  public RootVolume() {}

  public RootVolume(Integer sizeGiB, String type) {
    this.sizeGiB = sizeGiB;
    this.type = type;
  }
}
