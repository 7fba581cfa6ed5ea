package io.zoneguard.domain;

import java.util.List;
import java.util.Map;

/**
 * How a PV presents its volume to the pod, which a replacement PV must keep: a Block-mode claim
 * never matches a Filesystem PV (the binder compares volumeMode), and a changed fsType,
 * mountOptions or CSI volumeAttributes would mount the restored data differently.
 */
public record PvShape(
    String volumeMode,
    String fsType,
    List<String> mountOptions,
    Map<String, String> volumeAttributes) {
  public static final String FILESYSTEM = "Filesystem";

  public PvShape {
    // the API server defaults an absent volumeMode to Filesystem (for PVs and claims alike)
    volumeMode = volumeMode == null ? FILESYSTEM : volumeMode;
    mountOptions = mountOptions == null ? List.of() : List.copyOf(mountOptions);
    volumeAttributes = volumeAttributes == null ? Map.of() : Map.copyOf(volumeAttributes);
  }

  /** The shape of a PV zoneguard knows nothing more about: Filesystem, the given fsType. */
  public static PvShape filesystem(String fsType) {
    return new PvShape(FILESYSTEM, fsType, List.of(), Map.of());
  }
}
