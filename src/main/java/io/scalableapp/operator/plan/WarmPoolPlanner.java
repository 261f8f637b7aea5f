package io.scalableapp.operator.plan;

import io.scalableapp.operator.api.Capacity;
import io.scalableapp.operator.api.ScalableAppSpec;
import io.scalableapp.operator.api.WarmPoolSpec;
import io.scalableapp.operator.cloud.Cloud;
import io.scalableapp.operator.cloud.ObservedGroup;
import io.scalableapp.operator.cloud.ObservedWarmPool;
import io.scalableapp.operator.cloud.WarmPoolConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The group's warm pool (spec.warmPool): put when missing or different, deleted when the spec drops
 * it, and deleted before the group when the app goes. Gives its dependents the pool's configuration
 * once AWS holds it (an empty configuration when the spec asks for none).
 */
public final class WarmPoolPlanner implements PartialPlanner<Optional<WarmPoolConfig>> {
  @Override
  public List<Class<? extends PartialPlanner<?>>> dependsOn() {
    return List.of(GroupPlanner.class);
  }

  @Override
  public void validate(ScalableAppSpec s, Problems v) {
    WarmPoolSpec w = s.warmPool;
    if (w == null) {
      return;
    }
    if (s.instances != null) {
      v.add(
          "spec.warmPool: cannot go with spec.instances: AWS allows no warm pool on a group with a"
              + " mixed instances policy");
    }
    v.range("spec.warmPool.minSize", w.minSize, 0, Capacity.LIMIT, false);
    v.range(
        "spec.warmPool.maxGroupPreparedCapacity",
        w.maxGroupPreparedCapacity,
        0,
        Capacity.LIMIT,
        false);
    v.oneOf("spec.warmPool.poolState", w.poolState, WarmPoolSpec.PoolState.class);
    if (w.minSize != null
        && w.maxGroupPreparedCapacity != null
        && w.minSize > w.maxGroupPreparedCapacity) {
      v.add(
          "spec.warmPool.minSize: "
              + w.minSize
              + " is more than spec.warmPool.maxGroupPreparedCapacity ("
              + w.maxGroupPreparedCapacity
              + ")");
    }
    if (w.minSize != null
        && s.capacity != null
        && s.capacity.max != null
        && w.minSize > s.capacity.max) {
      v.add(
          "spec.warmPool.minSize: "
              + w.minSize
              + " is more than spec.capacity.max ("
              + s.capacity.max
              + ")");
    }
  }

  /** The warm pool the spec asks for, AWS's defaults filled in; null for none. */
  public static WarmPoolConfig desired(ScalableAppSpec s) {
    WarmPoolSpec w = s.warmPool;
    if (w == null) {
      return null;
    }
    return new WarmPoolConfig(
        w.minSize == null ? 0 : w.minSize,
        w.maxGroupPreparedCapacity,
        w.poolState,
        Boolean.TRUE.equals(w.reuseOnScaleIn));
  }

  @Override
  public Optional<Optional<WarmPoolConfig>> plan(PlanContext c) {
    Optional<ObservedGroup> group = c.ready(GroupPlanner.class);
    if (group.isEmpty()) {
      return Optional.empty();
    }
    ObservedGroup g = group.get();
    WarmPoolConfig want = desired(c.spec());
    ObservedWarmPool seen = g.warmPool();
    if (seen != null && seen.deleting()) {
      c.waitFor("the warm pool of " + g.name() + " is being deleted");
      return Optional.empty();
    }
    if (want == null) {
      if (seen == null) {
        return Optional.of(Optional.empty());
      }
      c.add(
          new DeleteWarmPool(
              g.name(), "spec.warmPool removed (its " + seen.size() + " instance(s) terminate)"));
      return Optional.empty();
    }
    if (seen == null) {
      c.add(new PutWarmPool(g.name(), want, "warm pool does not exist"));
      return Optional.empty();
    }
    if (!seen.config().equals(want)) {
      c.add(new PutWarmPool(g.name(), want, String.join("; ", differences(seen.config(), want))));
      return Optional.empty();
    }
    return Optional.of(Optional.of(want));
  }

  private static List<String> differences(WarmPoolConfig from, WarmPoolConfig to) {
    var out = new ArrayList<String>();
    if (from.minSize() != to.minSize()) {
      out.add("minSize " + from.minSize() + " -> " + to.minSize());
    }
    if (!Objects.equals(from.maxGroupPreparedCapacity(), to.maxGroupPreparedCapacity())) {
      out.add(
          "maxGroupPreparedCapacity "
              + describe(from.maxGroupPreparedCapacity())
              + " -> "
              + describe(to.maxGroupPreparedCapacity()));
    }
    if (!from.poolState().equals(to.poolState())) {
      out.add("pool state " + from.poolState() + " -> " + to.poolState());
    }
    if (from.reuseOnScaleIn() != to.reuseOnScaleIn()) {
      out.add("reuse on scale-in " + from.reuseOnScaleIn() + " -> " + to.reuseOnScaleIn());
    }
    return out;
  }

  private static String describe(Integer max) {
    return max == null ? "(the group's max)" : max.toString();
  }

  @Override
  public boolean delete(DeletionContext c) {
    Optional<ObservedGroup> group = c.observed().group();
    if (group.isEmpty()
        || group.get().warmPool() == null
        || !c.owned(GroupPlanner.KIND, group.get().name(), group.get().tags())) {
      return true;
    }
    if (group.get().warmPool().deleting()) {
      c.waitFor("the warm pool of " + group.get().name() + " is being deleted");
    } else {
      c.remove(new DeleteWarmPool(group.get().name(), "app deleted"));
    }
    return false;
  }

  public record PutWarmPool(String groupName, WarmPoolConfig config, String reason)
      implements Action {
    @Override
    public void apply(Cloud cloud) {
      cloud.autoScalingGroups().putWarmPool(groupName, config);
    }
  }

  public record DeleteWarmPool(String groupName, String reason) implements Action {
    @Override
    public void apply(Cloud cloud) {
      cloud.autoScalingGroups().deleteWarmPool(groupName);
    }
  }
}
