package io.scalableapp.operator.plan;

import io.scalableapp.operator.cloud.Cloud;

/**
 * An action that creates a resource AWS answers with in full (a target group, a load balancer): the
 * observer keeps the answer instead of reading the resource back.
 *
 * @param <T> what AWS's answer describes
 */
public interface Creates<T> extends Action {
  /** Makes the resource; returns AWS's description of it. */
  T create(Cloud cloud);

  @Override
  default void apply(Cloud cloud) {
    create(cloud);
  }
}
