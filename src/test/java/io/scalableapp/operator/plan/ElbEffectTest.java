package io.scalableapp.operator.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.scalableapp.operator.cloud.AutoScalingGroups;
import io.scalableapp.operator.cloud.Cloud;
import io.scalableapp.operator.cloud.LaunchTemplates;
import io.scalableapp.operator.cloud.LoadBalancers;
import io.scalableapp.operator.cloud.Subnets;
import io.scalableapp.operator.cloud.TargetGroups;
import java.io.File;
import java.lang.reflect.Proxy;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Every action of every planner says truthfully whether it calls ELBv2: the observer reuses what it
 * read of an app's target groups and load balancer until an action says it changed them, so an
 * ELBv2 action that said nothing would leave the operator judging by stale reads.
 */
class ElbEffectTest {

  @Test
  void everyActionThatCallsElbv2SaysSoAndNoOtherDoes() throws Exception {
    List<Class<?>> actions = actionClasses();
    assertThat(actions).as("the planners' actions").hasSizeGreaterThan(20);
    var wrong = new ArrayList<String>();
    for (Class<?> type : actions) {
      Action action = (Action) sample(type);
      var touched = new ArrayList<String>();
      try {
        action.apply(recording(touched));
      } catch (RuntimeException e) {
        // The sample's arguments are placeholders; the first port call is recorded either way.
      }
      boolean elb =
          touched.stream().anyMatch(p -> p.equals("TargetGroups") || p.equals("LoadBalancers"));
      if (touched.isEmpty()) {
        wrong.add(type.getSimpleName() + " calls no port with placeholder arguments");
      } else if (elb != action.elbEffect().changes()) {
        wrong.add(type.getSimpleName() + " calls " + touched + " but says " + action.elbEffect());
      }
    }
    assertThat(wrong).isEmpty();
  }

  @Test
  void anActionThatCreatesATargetGroupOrLoadBalancerNamesIt() throws Exception {
    var tg =
        (TargetGroupPlanner.CreateTargetGroup) sample(TargetGroupPlanner.CreateTargetGroup.class);
    var lb =
        (LoadBalancerPlanner.CreateLoadBalancer)
            sample(LoadBalancerPlanner.CreateLoadBalancer.class);

    assertThat(tg.elbEffect().createdTargetGroup()).isEqualTo(tg.config().name()).isNotNull();
    assertThat(lb.elbEffect().createdLoadBalancer()).isEqualTo(lb.config().name()).isNotNull();
  }

  /** The concrete actions compiled into this package (nested records of the planners). */
  static List<Class<?>> actionClasses() throws Exception {
    var dir = new File(Action.class.getResource("Action.class").toURI()).getParentFile();
    var found = new ArrayList<Class<?>>();
    for (String file : dir.list()) {
      if (!file.endsWith(".class")) {
        continue;
      }
      Class<?> c = Class.forName(Action.class.getPackageName() + "." + file.replace(".class", ""));
      if (Action.class.isAssignableFrom(c) && c.isRecord()) {
        found.add(c);
      }
    }
    return found;
  }

  /** An instance with placeholder values: strings "x", numbers 1, empty collections. */
  static Object sample(Class<?> type) throws Exception {
    if (type == String.class) {
      return "x";
    }
    if (type == int.class || type == Integer.class) {
      return 1;
    }
    if (type == long.class || type == Long.class) {
      return 1L;
    }
    if (type == double.class || type == Double.class) {
      return 1.0;
    }
    if (type == boolean.class || type == Boolean.class) {
      return false;
    }
    if (type == List.class) {
      return List.of();
    }
    if (type == Map.class) {
      return Map.of();
    }
    if (type == Set.class) {
      return Set.of();
    }
    if (type.isEnum()) {
      return type.getEnumConstants()[0];
    }
    if (type.isRecord()) {
      RecordComponent[] parts = type.getRecordComponents();
      var types = new Class<?>[parts.length];
      var values = new Object[parts.length];
      for (int i = 0; i < parts.length; i++) {
        types[i] = parts[i].getType();
        values[i] = sample(types[i]);
      }
      var constructor = type.getDeclaredConstructor(types);
      constructor.setAccessible(true);
      return constructor.newInstance(values);
    }
    return null;
  }

  /** A cloud whose ports record which of them were called, answering with empty values. */
  static Cloud recording(List<String> touched) {
    return new Cloud(
        port(LaunchTemplates.class, touched),
        port(Subnets.class, touched),
        port(TargetGroups.class, touched),
        port(AutoScalingGroups.class, touched),
        port(LoadBalancers.class, touched),
        port(io.scalableapp.operator.cloud.InstancePurchases.class, touched),
        port(io.scalableapp.operator.cloud.ImageParameters.class, touched));
  }

  static <T> T port(Class<T> type, List<String> touched) {
    return type.cast(
        Proxy.newProxyInstance(
            type.getClassLoader(),
            new Class<?>[] {type},
            (proxy, method, args) -> {
              touched.add(type.getSimpleName());
              Class<?> r = method.getReturnType();
              return r == Optional.class
                  ? Optional.empty()
                  : r == List.class
                      ? List.of()
                      : r == Map.class
                          ? Map.of()
                          : r == String.class
                              ? "x"
                              : r == int.class
                                  ? 0
                                  : r == long.class ? 0L : r == boolean.class ? false : null;
            }));
  }
}
