package io.scalableapp.sandbox.sim;

import io.scalableapp.operator.cloud.CloudException;
import io.scalableapp.operator.cloud.CloudException.Kind;
import io.scalableapp.operator.cloud.Subnet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the simulated services share: the clock, the region, the subnets and their zones, the
 * instances, and the time-step engine. Time moves only with the clock; {@link #tick()} brings every
 * service up to the clock's time in fixed steps, so hours can pass in seconds. It holds no lock
 * across the services: each guards its own state, and the engine steps them one after another.
 */
public final class World {
  /** How the simulated world behaves; the defaults follow AWS's documented defaults. */
  public record Settings(
      Duration step,
      Duration bootTime,
      Duration terminateTime,
      Duration metricPeriod,
      Duration scaleInCooldown,
      Duration defaultWarmup,
      int failedLaunchesToFailRefresh) {
    public static final Settings DEFAULT =
        new Settings(
            Duration.ofSeconds(5),
            Duration.ofSeconds(40),
            Duration.ofSeconds(20),
            Duration.ofSeconds(60),
            Duration.ofSeconds(300),
            Duration.ofSeconds(60),
            3);
  }

  /** A service that changes on its own as time passes. */
  interface Service {
    /** Brings the service's state to time {@code t}; called once per step, in order. */
    void step(Instant t);
  }

  static final String ACCOUNT = "123456789012";

  private final SimClock clock;
  private final Settings settings;
  private final String region;
  private final AtomicLong ids = new AtomicLong(0x1000);
  private final Map<String, Subnet> subnets = new ConcurrentHashMap<>();
  private final Map<String, SimInstance> instances = new ConcurrentHashMap<>();
  private final List<Service> services = new CopyOnWriteArrayList<>();
  private final Object ticking = new Object();
  private Instant lastTick;

  World(SimClock clock, Settings settings, String region) {
    this.clock = clock;
    this.settings = settings;
    this.region = region;
    this.lastTick = clock.instant();
  }

  SimClock clock() {
    return clock;
  }

  Settings settings() {
    return settings;
  }

  String region() {
    return region;
  }

  Instant now() {
    return clock.instant();
  }

  /** Services step in the order they were added. */
  void add(Service service) {
    services.add(service);
  }

  /**
   * Brings every service up to the clock's time. Never called while holding a service's lock (a
   * step takes them).
   */
  void tick() {
    synchronized (ticking) {
      Instant now = clock.instant();
      while (!lastTick.plus(settings.step()).isAfter(now)) {
        lastTick = lastTick.plus(settings.step());
        for (Service s : services) {
          s.step(lastTick);
        }
      }
    }
  }

  /** A fresh id of {@code digits} hex digits. */
  String hex(int digits) {
    String h = Long.toHexString(ids.getAndIncrement());
    return "0".repeat(Math.max(0, digits - h.length())) + h;
  }

  Subnet addSubnet(String id, String vpcId, String availabilityZone) {
    var s = new Subnet(id, vpcId, availabilityZone);
    subnets.put(id, s);
    return s;
  }

  Optional<Subnet> subnet(String id) {
    return Optional.ofNullable(subnets.get(id));
  }

  void launched(SimInstance i) {
    instances.put(i.id, i);
  }

  void gone(SimInstance i) {
    instances.remove(i.id);
  }

  Optional<SimInstance> instance(String id) {
    return Optional.ofNullable(instances.get(id));
  }

  /** An AWS error as the AWS adapters classify it. */
  static CloudException error(Kind kind, String code, String message, String operation) {
    return new CloudException(kind, code, message, operation, null);
  }
}
