package io.zoneguard.failover;

import io.zoneguard.domain.ZoneguardException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * Fans EC2 calls out over a small pool (the calls wait on the network, not the CPU, so more threads
 * than cores pay off); results in input order, the first failure rethrown as is.
 */
public final class Parallel {
  private Parallel() {}

  public static <T, R> List<R> map(List<T> items, int threads, Function<T, R> call) {
    if (items.size() <= 1) {
      return items.stream().map(call).toList();
    }
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(items.size(), threads));
    try {
      List<Future<R>> futures = new ArrayList<>();
      for (T item : items) {
        futures.add(pool.submit(() -> call.apply(item)));
      }
      List<R> results = new ArrayList<>();
      for (Future<R> f : futures) {
        results.add(f.get());
      }
      return results;
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      throw new IllegalStateException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ZoneguardException.failed("interrupted", e);
    } finally {
      pool.shutdownNow();
    }
  }
}
