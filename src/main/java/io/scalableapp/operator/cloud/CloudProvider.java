package io.scalableapp.operator.cloud;

/** Gives the cloud port of a region. */
public interface CloudProvider {
  /**
   * The port for {@code region}; null means the operator's default region. Implementations cache
   * clients per region.
   */
  Cloud forRegion(String region);

  /**
   * The region {@link #forRegion} works in for {@code region}: itself, or for null the operator's
   * default region.
   */
  String region(String region);
}
