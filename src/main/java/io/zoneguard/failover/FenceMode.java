package io.zoneguard.failover;

/**
 * How fencing proves the failed zone's nodes are down (--fence): {@code verify} only reads EC2 and
 * refuses when an instance may still run; {@code stop-instances} force-stops such instances itself
 * and waits until EC2 reports them stopped.
 */
public enum FenceMode {
  VERIFY("verify"),
  STOP_INSTANCES("stop-instances");

  private final String flag;

  FenceMode(String flag) {
    this.flag = flag;
  }

  public String flag() {
    return flag;
  }

  /** The mode named by a --fence value; a clear usage error otherwise. */
  public static FenceMode of(String flag) {
    for (FenceMode m : values()) {
      if (m.flag.equalsIgnoreCase(flag) || m.name().equalsIgnoreCase(flag)) {
        return m;
      }
    }
    throw io.zoneguard.domain.ZoneguardException.usage(
        "--fence must be verify or stop-instances, not '" + flag + "'");
  }

  @Override
  public String toString() {
    return flag;
  }
}
