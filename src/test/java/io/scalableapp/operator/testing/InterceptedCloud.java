package io.scalableapp.operator.testing;

import io.scalableapp.operator.cloud.AutoScalingGroups;
import io.scalableapp.operator.cloud.Cloud;
import io.scalableapp.operator.cloud.CloudProvider;
import io.scalableapp.operator.cloud.LaunchTemplates;
import io.scalableapp.operator.cloud.LoadBalancers;
import io.scalableapp.operator.cloud.Subnets;
import io.scalableapp.operator.cloud.TargetGroups;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * A cloud port around a real one that counts calls per port method ("AutoScalingGroups.create") and
 * can make chosen methods fail, to test how the reconciler meets AWS errors and crashes.
 */
public final class InterceptedCloud implements CloudProvider {
  private final CloudProvider real;
  private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
  private final Map<String, Supplier<? extends Throwable>> faults = new ConcurrentHashMap<>();
  private volatile BiConsumer<String, Object[]> listener = (method, args) -> {};

  public InterceptedCloud(CloudProvider real) {
    this.real = real;
  }

  /**
   * From now on, {@code method} ("Port.method") throws what {@code fault} gives instead of calling
   * AWS.
   */
  public void failOn(String method, Supplier<? extends Throwable> fault) {
    faults.put(method, fault);
  }

  /** Told of every call ("Port.method" and its arguments) as it is made. */
  public void onCall(BiConsumer<String, Object[]> listener) {
    this.listener = listener;
  }

  public void heal() {
    faults.clear();
  }

  public int calls(String method) {
    return calls.getOrDefault(method, new AtomicInteger()).get();
  }

  /** Calls that change AWS: everything but the reads. */
  public int mutatingCalls() {
    return calls.entrySet().stream()
        .filter(e -> !isReadMethod(e.getKey()))
        .mapToInt(e -> e.getValue().get())
        .sum();
  }

  /** Calls that only read: find*, list*, describe, refreshes, activities, versions, ... */
  public int readCalls() {
    return calls.entrySet().stream()
        .filter(e -> isReadMethod(e.getKey()))
        .mapToInt(e -> e.getValue().get())
        .sum();
  }

  /** Whether the port method ("Port.method") only reads. */
  public static boolean isReadMethod(String method) {
    return method.matches(
        ".*\\.(find|list|describe|refreshes|activities|versions|attributes|healthyTargets|tags"
            + "|values|lifecycleHooks)"
            + ".*");
  }

  /** Every call so far. */
  public int totalCalls() {
    return calls.values().stream().mapToInt(AtomicInteger::get).sum();
  }

  public void resetCounts() {
    calls.clear();
  }

  @Override
  public String region(String region) {
    return real.region(region);
  }

  @Override
  public Cloud forRegion(String region) {
    Cloud c = real.forRegion(region);
    return new Cloud(
        wrap(LaunchTemplates.class, c.launchTemplates()),
        wrap(Subnets.class, c.subnets()),
        wrap(TargetGroups.class, c.targetGroups()),
        wrap(AutoScalingGroups.class, c.autoScalingGroups()),
        wrap(LoadBalancers.class, c.loadBalancers()),
        wrap(io.scalableapp.operator.cloud.InstancePurchases.class, c.purchases()),
        wrap(io.scalableapp.operator.cloud.ImageParameters.class, c.imageParameters()));
  }

  private <T> T wrap(Class<T> port, T target) {
    return Ports.intercept(
        port,
        target,
        (method, args) -> {
          String name = port.getSimpleName() + "." + method;
          calls.computeIfAbsent(name, k -> new AtomicInteger()).incrementAndGet();
          listener.accept(name, args);
          Supplier<? extends Throwable> fault = faults.get(name);
          if (fault != null) {
            throw fault.get();
          }
          return Ports.PASS;
        });
  }
}
