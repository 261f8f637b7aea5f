package io.scalableapp.operator.cloud;

/**
 * A lifecycle hook of an Auto Scaling group: instances making this transition wait (Pending:Wait,
 * Terminating:Wait) until the action is completed or the heartbeat timeout passes, then AWS goes on
 * with {@code defaultResult}.
 *
 * @param transition {@link #LAUNCHING} or {@link #TERMINATING}
 * @param defaultResult what happens at the timeout: CONTINUE or ABANDON
 */
public record LifecycleHookConfig(
    String name, String transition, int heartbeatTimeoutSeconds, String defaultResult) {
  public static final String LAUNCHING = "autoscaling:EC2_INSTANCE_LAUNCHING";
  public static final String TERMINATING = "autoscaling:EC2_INSTANCE_TERMINATING";
  public static final String CONTINUE = "CONTINUE";

  /** The operator's hooks are named so; a hook under another name is the user's, left alone. */
  public static final String PREFIX = "sapp-";

  public static final String DRAIN = PREFIX + "drain";
  public static final String LAUNCH = PREFIX + "launch";

  /** AWS's bounds for a heartbeat timeout, in seconds. */
  public static final int MIN_TIMEOUT = 30;

  public static final int MAX_TIMEOUT = 7200;

  /**
   * Instances leaving (scale-in, a rollout's replacement) wait this long in Terminating:Wait after
   * they left the target group, then terminate: never longer.
   */
  public static LifecycleHookConfig drain(int seconds) {
    return new LifecycleHookConfig(DRAIN, TERMINATING, seconds, CONTINUE);
  }

  /**
   * New instances wait in Pending:Wait until they complete the action (their app answers) or this
   * long, then go in service either way.
   */
  public static LifecycleHookConfig launch(int seconds) {
    return new LifecycleHookConfig(LAUNCH, LAUNCHING, seconds, CONTINUE);
  }

  public boolean ours() {
    return name.startsWith(PREFIX);
  }
}
