package io.zoneguard.failover.steps;

import io.zoneguard.domain.PodFacts;
import io.zoneguard.domain.StatefulSetFacts;
import io.zoneguard.domain.ZoneguardException;
import java.util.concurrent.atomic.AtomicReference;

/** Waits until every replica of the StatefulSet is Ready, printing each change of the count. */
public final class WaitReady implements FailoverStep {
  @Override
  public String id() {
    return "wait-ready";
  }

  @Override
  public String run(StepContext ctx) {
    AtomicReference<String> last = new AtomicReference<>("");
    ctx.await(
        ctx.options().readyTimeout(),
        () -> {
          StatefulSetFacts s =
              ctx.cluster()
                  .statefulSet(ctx.namespace(), ctx.statefulSet())
                  .orElseThrow(
                      () ->
                          ZoneguardException.statefulSetNotFound(
                              ctx.namespace(), ctx.statefulSet()));
          long moved = ctx.podsOfMovedReplicas().stream().filter(PodFacts::ready).count();
          String now = s.readyReplicas() + "/" + s.replicas() + " Ready";
          if (!now.equals(last.getAndSet(now))) {
            ctx.detail(now);
          }
          return s.readyReplicas() >= s.replicas() && moved == ctx.plan().volumes().size();
        },
        () ->
            "not every replica became Ready within "
                + ctx.options().readyTimeout().toSeconds()
                + "s ("
                + last.get()
                + "); the data moves are done: see 'kubectl describe pod', then re-run to keep"
                + " waiting");
    return "every replica Ready";
  }
}
