package io.zoneguard.aws;

import io.zoneguard.domain.InstanceFacts;
import io.zoneguard.port.Instances;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.InstanceStatus;
import software.amazon.awssdk.services.ec2.model.InstanceStatusSummary;

/** {@link Instances} on EC2: DescribeInstances, DescribeInstanceStatus, StopInstances. */
public final class Ec2Instances implements Instances {
  /** EC2 accepts at most 200 values per filter. */
  private static final int FILTER_BATCH = 200;

  private final Ec2Client ec2;

  public Ec2Instances(Ec2Client ec2) {
    this.ec2 = ec2;
  }

  @Override
  public Map<String, InstanceFacts> describe(Collection<String> instanceIds) {
    List<String> ids = List.copyOf(new java.util.LinkedHashSet<>(instanceIds));
    Map<String, String> states = new LinkedHashMap<>();
    Map<String, InstanceStatus> statuses = new HashMap<>();
    // instance-id filters (not InstanceIds): an unknown id is simply absent instead of failing
    // the whole call with InvalidInstanceID.NotFound, and absent is itself a fact for fencing.
    for (int i = 0; i < ids.size(); i += FILTER_BATCH) {
      Filter batch =
          Filter.builder()
              .name("instance-id")
              .values(ids.subList(i, Math.min(ids.size(), i + FILTER_BATCH)))
              .build();
      try {
        ec2.describeInstancesPaginator(r -> r.filters(batch))
            .reservations()
            .forEach(
                res ->
                    res.instances()
                        .forEach(in -> states.put(in.instanceId(), in.state().nameAsString())));
        // IncludeAllInstances: without it EC2 lists running instances only
        ec2.describeInstanceStatusPaginator(r -> r.filters(batch).includeAllInstances(true))
            .instanceStatuses()
            .forEach(s -> statuses.put(s.instanceId(), s));
      } catch (SdkException e) {
        throw AwsErrors.translate("EC2 DescribeInstances/DescribeInstanceStatus", e);
      }
    }
    Map<String, InstanceFacts> out = new LinkedHashMap<>();
    states.forEach(
        (id, state) -> {
          InstanceStatus s = statuses.get(id);
          InstanceStatusSummary instance = s == null ? null : s.instanceStatus();
          InstanceStatusSummary system = s == null ? null : s.systemStatus();
          out.put(
              id,
              new InstanceFacts(
                  id,
                  state,
                  reachabilityFailed(instance) || reachabilityFailed(system),
                  "instance " + status(instance) + ", system " + status(system)));
        });
    return out;
  }

  @Override
  public void forceStop(Collection<String> instanceIds) {
    List<String> ids = new ArrayList<>(new java.util.LinkedHashSet<>(instanceIds));
    if (ids.isEmpty()) {
      return;
    }
    try {
      ec2.stopInstances(r -> r.instanceIds(ids).force(true));
    } catch (SdkException e) {
      throw AwsErrors.translate("EC2 StopInstances " + ids, e);
    }
  }

  /** A status summary whose reachability check failed: EC2 cannot reach the instance. */
  private static boolean reachabilityFailed(InstanceStatusSummary s) {
    return s != null
        && s.details() != null
        && s.details().stream()
            .anyMatch(
                d ->
                    "reachability".equals(d.nameAsString()) && "failed".equals(d.statusAsString()));
  }

  private static String status(InstanceStatusSummary s) {
    return s == null || s.statusAsString() == null ? "unknown" : s.statusAsString();
  }
}
