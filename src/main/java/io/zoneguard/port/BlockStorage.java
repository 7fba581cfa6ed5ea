package io.zoneguard.port;

import io.zoneguard.domain.VolumeSpec;
import io.zoneguard.domain.ZoneState;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/** Block storage of one region (EBS): zones, volumes, snapshots. */
public interface BlockStorage {

  /** Every availability zone of the region with its state. */
  List<ZoneState> zones();

  /**
   * The volumes with these ids, keyed by id. Ids EC2 does not know are absent from the result
   * rather than an error, so one vanished volume does not hide the others.
   */
  Map<String, VolumeSpec> volumes(Collection<String> volumeIds);
}
