package io.scalableapp.operator.cloud;

/** Gives the cloud port of a region. */
@FunctionalInterface
public interface CloudProvider {
  /**
   * The port for {@code region}; null means the operator's default region. Implementations cache
   * clients per region.
   */
  Cloud forRegion(String region);
}
