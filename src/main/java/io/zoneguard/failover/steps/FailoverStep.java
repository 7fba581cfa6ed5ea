package io.zoneguard.failover.steps;

/**
 * One step of a failover or failback (design.md section 3); its id, description and order come from
 * {@link StepId}. Every step looks at the current state first and does only what is missing, so
 * running it again after a crash is safe and converges: that is what makes {@code apply} resumable.
 */
public interface FailoverStep {
  /** Brings the cluster to this step's end state. */
  StepOutcome run(StepContext ctx);
}
