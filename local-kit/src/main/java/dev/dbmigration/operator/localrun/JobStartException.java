package dev.dbmigration.operator.localrun;

/**
 * Why a Job's container could not be started: a missing Secret key, an unmapped image, an
 * unsupported field. The message becomes the pod's termination message, so it must say what is
 * wrong in the Job's own terms and must never carry a Secret value.
 */
public class JobStartException extends Exception {

  public JobStartException(String message) {
    super(message);
  }

  public JobStartException(String message, Throwable cause) {
    super(message, cause);
  }
}
