package io.zoneguard.schedule;

/** Work that only the leader does: started when it takes the lease, stopped when it loses it. */
public interface LeaderDuty {
  void activate();

  void standby();
}
