package io.scalableapp.sandbox.sim;

import io.scalableapp.operator.cloud.CloudContract;
import io.scalableapp.operator.cloud.CloudProvider;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** The cloud port's contract on the simulated cloud. */
class SimulatedCloudContractTest extends CloudContract {
  SimClock clock;
  SimulatedCloud sim;

  @Override
  protected CloudProvider freshCloud() {
    clock = new SimClock(Instant.parse("2026-01-01T00:00:00Z"));
    sim = new SimulatedCloud(clock);
    return sim;
  }

  @Override
  protected List<String> network() {
    return List.of(
        "vpc-1",
        sim.addSubnet("vpc-1", "us-east-1a").id(),
        sim.addSubnet("vpc-1", "us-east-1b").id());
  }

  @Override
  protected String certificate(String domain) {
    return "arn:aws:acm:us-east-1:123456789012:certificate/" + domain.replace('.', '-');
  }

  @Override
  protected void putParameter(String name, String value) {
    sim.putParameter(name, value);
  }

  @Override
  protected void settle() {
    clock.advance(Duration.ofMinutes(3));
  }
}
