package io.zoneguard.failover.steps;

/**
 * What one run of a step did, the way Strimzi's {@code ReconcileResult} reports it: NOOP when the
 * cluster was already in the step's end state (a resumed run), CHANGED when the step acted; the
 * detail is the one line the report and the record keep.
 */
public record StepOutcome(Kind kind, String detail) {
  public enum Kind {
    NOOP,
    CHANGED
  }

  public static StepOutcome noop(String detail) {
    return new StepOutcome(Kind.NOOP, detail);
  }

  public static StepOutcome changed(String detail) {
    return new StepOutcome(Kind.CHANGED, detail);
  }

  /** CHANGED when {@code changed}, NOOP otherwise: for steps whose detail reads the same. */
  public static StepOutcome of(boolean changed, String detail) {
    return changed ? changed(detail) : noop(detail);
  }

  /** The line the record keeps: the detail, marked when nothing had to be done. */
  public String summary() {
    return kind == Kind.NOOP ? detail + " (already done)" : detail;
  }
}
