package io.zoneguard.testing.sim;

import java.util.function.Supplier;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.LifecycleMethodExecutionExceptionHandler;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

/**
 * For a test class that keeps its {@link Sim} in a field: a failure of a test or its
 * {@code @BeforeEach} carries the seed and the event log ({@link Sim#report()}), as {@link Sim#run}
 * does for one block, without wrapping every test body.
 *
 * <pre>{@code @RegisterExtension final ReportOnFailure report = new ReportOnFailure(() -> sim);}
 * </pre>
 */
public final class ReportOnFailure
    implements TestExecutionExceptionHandler, LifecycleMethodExecutionExceptionHandler {
  private final Supplier<Sim> sim;

  public ReportOnFailure(Supplier<Sim> sim) {
    this.sim = sim;
  }

  @Override
  public void handleTestExecutionException(ExtensionContext context, Throwable t) throws Throwable {
    throw withReport(t);
  }

  @Override
  public void handleBeforeEachMethodExecutionException(ExtensionContext context, Throwable t)
      throws Throwable {
    throw withReport(t);
  }

  private Throwable withReport(Throwable t) {
    Sim s = sim.get();
    return s == null ? t : new AssertionError(t.getMessage() + s.report(), t);
  }
}
