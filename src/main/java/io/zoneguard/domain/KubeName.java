package io.zoneguard.domain;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Names of objects zoneguard creates (PVs, mount pods) built from user names, kept valid DNS-1123
 * subdomains (at most 253 characters, alphanumeric at both ends). A name too long is cut and given
 * a hash of the whole name, so two long names that share their head still differ.
 */
public final class KubeName {
  public static final int MAX_SUBDOMAIN = 253;

  private KubeName() {}

  /** {@code name} itself if it fits, else its head and a 10-hex-digit SHA-256 of the whole. */
  public static String subdomain(String name) {
    if (name.length() <= MAX_SUBDOMAIN) {
      return name;
    }
    String hash = sha256Hex(name).substring(0, 10);
    String head = name.substring(0, MAX_SUBDOMAIN - hash.length() - 1);
    // a cut may leave '-' or '.' last; "x.-hash" is not a valid subdomain
    head = head.replaceAll("[^a-z0-9]+$", "");
    return head + "-" + hash;
  }

  private static String sha256Hex(String s) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
