package io.zoneguard.failover.steps;

/**
 * One named step of a failover or failback (design.md section 3). Every step looks at the current
 * state first and does only what is missing, so running it again after a crash is safe and
 * converges: that is what makes {@code apply} resumable.
 */
public interface FailoverStep {
  /** The stable id the plan lists and the record marks as done. */
  String id();

  /** Brings the cluster to this step's end state; returns a one-line summary. */
  String run(StepContext ctx);
}
