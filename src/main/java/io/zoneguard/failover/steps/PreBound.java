package io.zoneguard.failover.steps;

import io.zoneguard.domain.PvFacts;
import io.zoneguard.domain.PvcFacts;
import io.zoneguard.domain.StorageQuantity;
import java.util.Objects;

/**
 * Whether the PV binder will bind an unbound claim to zoneguard's pre-bound PV, following upstream
 * {@code pkg/controller/volume/persistentvolume/util/util.go} {@code FindMatchingVolume}: a PV
 * whose claimRef names the claim (no UID yet, or the claim's) is chosen before any other, even
 * under WaitForFirstConsumer, provided {@code CheckVolumeModeMismatches} finds equal volumeModes,
 * the storage class is the same, the capacity is at least the request and the access modes are a
 * superset ({@code CheckAccessModes}). Such a template claim is mid-bind to the restored data:
 * counting it as done is what lets a run race the StatefulSet controller safely.
 */
public final class PreBound {
  private PreBound() {}

  public static boolean willBind(PvcFacts claim, PvFacts pv) {
    if (pv == null || pv.claimRef() == null || !pv.claimRef().equals(claim.ref())) {
      return false;
    }
    if (pv.claimUid() != null && !pv.claimUid().equals(claim.uid())) {
      return false; // bound once to another claim of this name: upstream never rebinds it
    }
    if ("Released".equals(pv.phase()) || "Failed".equals(pv.phase())) {
      return false;
    }
    return Objects.equals(pv.shape().volumeMode(), claim.volumeMode())
        && Objects.equals(blankIsNull(pv.storageClass()), blankIsNull(claim.storageClass()))
        && StorageQuantity.atLeast(pv.capacity(), claim.capacity())
        && pv.accessModes().containsAll(claim.accessModes());
  }

  private static String blankIsNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }
}
