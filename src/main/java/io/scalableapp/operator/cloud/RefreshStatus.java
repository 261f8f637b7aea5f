package io.scalableapp.operator.cloud;

import java.util.Arrays;

/** An instance refresh's status, as DescribeInstanceRefreshes reports it. */
public enum RefreshStatus {
  Pending,
  InProgress,
  Successful,
  Failed,
  Cancelling,
  Cancelled,
  RollbackInProgress,
  RollbackFailed,
  RollbackSuccessful,
  Baking;

  /**
   * AWS's name for a status; a status this operator does not know (a newer AWS) counts as {@link
   * #InProgress}, so that nothing starts a second refresh beside it.
   */
  public static RefreshStatus of(String awsName) {
    return Arrays.stream(values())
        .filter(s -> s.name().equals(awsName))
        .findFirst()
        .orElse(InProgress);
  }

  /** AWS is still working on the refresh: no other may start. */
  public boolean active() {
    return switch (this) {
      case Pending, InProgress, Cancelling, RollbackInProgress, Baking -> true;
      default -> false;
    };
  }

  /** Ended, or ending, without putting its version everywhere: failed or rolled back. */
  public boolean failed() {
    return this == Failed || rollingBack();
  }

  /** Rolling back, or rolled back. */
  public boolean rollingBack() {
    return this == RollbackInProgress || this == RollbackFailed || this == RollbackSuccessful;
  }

  /** Being stopped by AWS (cancel or rollback): wait for it to end before starting another. */
  public boolean ending() {
    return this == Cancelling || this == RollbackInProgress;
  }
}
