package io.zoneguard.domain;

/** An availability zone as EC2 reports it ({@code available}, {@code impaired}, ...). */
public record ZoneState(Zone zone, String state, String zoneId) {
  public boolean available() {
    return "available".equals(state);
  }
}
