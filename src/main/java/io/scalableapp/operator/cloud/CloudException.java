package io.scalableapp.operator.cloud;

/**
 * An error a cloud call returned, classified for the planner and the status: NotFound never reaches
 * callers of {@code find} methods (they return empty), deletes treat it as done.
 */
public class CloudException extends RuntimeException {
  /** How the operator reacts to an error. */
  public enum Kind {
    /** The resource does not exist. */
    NOT_FOUND,
    /** A create found the name taken: re-observe, never create twice. */
    ALREADY_EXISTS,
    /** The resource is in use or changing (e.g. a target group still attached): wait. */
    IN_USE,
    /** The caller lacks permission: the user must fix IAM. */
    ACCESS_DENIED,
    /**
     * AWS rejected the request (unknown subnet or image, bad parameter): the user must fix the
     * spec.
     */
    INVALID_REQUEST,
    /** Throttling or a server error: retried with backoff. */
    TRANSIENT
  }

  private final Kind kind;
  private final String code;
  private final String awsMessage;
  private final String operation;

  public CloudException(
      Kind kind, String code, String awsMessage, String operation, Throwable cause) {
    super(operation + ": " + code + ": " + awsMessage, cause);
    this.kind = kind;
    this.code = code;
    this.awsMessage = awsMessage;
    this.operation = operation;
  }

  public CloudException(Kind kind, String code, String awsMessage) {
    this(kind, code, awsMessage, "cloud", null);
  }

  public Kind kind() {
    return kind;
  }

  /** AWS's error code, e.g. {@code InvalidSubnetID.NotFound}. */
  public String code() {
    return code;
  }

  /** The AWS API call that failed, e.g. {@code CreateAutoScalingGroup}. */
  public String operation() {
    return operation;
  }

  /** AWS's own message. */
  public String awsMessage() {
    return awsMessage;
  }

  public boolean is(Kind k) {
    return kind == k;
  }
}
