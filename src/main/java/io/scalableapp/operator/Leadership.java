package io.scalableapp.operator;

import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;

/**
 * Whether this replica leads. A standby replica (leader election on, not leading) is healthy and
 * ready to take over, so /readyz answers 200 for it: otherwise a rolling update of two replicas
 * would never finish.
 */
public final class Leadership {
  private volatile boolean elected;
  private volatile boolean leading;
  private volatile String leader;

  LeaderCallbacks callbacks() {
    elected = true;
    return new LeaderCallbacks(() -> leading = true, () -> leading = false, id -> leader = id);
  }

  /** Leader election is on and another replica leads (or none yet). */
  public boolean standby() {
    return elected && !leading;
  }

  public String leader() {
    return leader;
  }
}
