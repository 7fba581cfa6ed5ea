package io.zoneguard.domain;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The backup sets that running work reads, as kept in the StatefulSet annotation {@link
 * Keys#IN_USE_SETS_ANNOTATION}: entries {@code set-id@user} (a failover or drill id), comma
 * separated. Retention never deletes a set named here. Each user adds and removes only its own
 * entries, so a drill that ends does not unpin the set a failover still reads. Entries without a
 * user (written by older versions) count as in use and are never removed by anyone.
 */
public record InUseSets(List<Entry> entries) {
  /** One pin: {@code user} is null for a legacy entry. */
  public record Entry(String setId, String user) {
    String render() {
      return user == null ? setId : setId + "@" + user;
    }
  }

  public InUseSets {
    entries = List.copyOf(entries);
  }

  /** The annotation's value; null or blank is none. */
  public static InUseSets parse(String value) {
    List<Entry> out = new ArrayList<>();
    if (value != null) {
      for (String item : value.split(",")) {
        String s = item.strip();
        if (s.isEmpty()) {
          continue;
        }
        int at = s.indexOf('@');
        Entry e = at < 0 ? new Entry(s, null) : new Entry(s.substring(0, at), s.substring(at + 1));
        if (!out.contains(e)) {
          out.add(e);
        }
      }
    }
    return new InUseSets(out);
  }

  /** Every set in use, whoever uses it. */
  public Set<String> setIds() {
    Set<String> ids = new LinkedHashSet<>();
    entries.forEach(e -> ids.add(e.setId()));
    return ids;
  }

  /** These sets also in use by {@code user}. */
  public InUseSets with(String user, Collection<String> setIds) {
    List<Entry> out = new ArrayList<>(entries);
    for (String id : setIds) {
      Entry e = new Entry(id, Objects.requireNonNull(user));
      if (!out.contains(e)) {
        out.add(e);
      }
    }
    return new InUseSets(out);
  }

  /** None of {@code user}'s entries; everyone else's stay. */
  public InUseSets without(String user) {
    return new InUseSets(entries.stream().filter(e -> !user.equals(e.user())).toList());
  }

  /** The annotation's new value, null when nothing is in use (the annotation goes). */
  public String render() {
    return entries.isEmpty()
        ? null
        : String.join(",", entries.stream().map(Entry::render).toList());
  }

  @Override
  public String toString() {
    return Arrays.toString(entries.toArray());
  }
}
