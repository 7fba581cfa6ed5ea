package io.zoneguard.domain;

/** One table's exact row count, engine and CHECKSUM TABLE value (null when not computed). */
public record TableStats(String table, String engine, long rows, Long checksum) {}
