package dev.tempora.internal.visibility;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** One page of a list query; {@code nextPageToken} is null on the last page. */
public record VisibilityPage(List<VisibilityRow> rows, String nextPageToken) {

  /**
   * The page of {@code candidates} (rows that match the filter, in any order, possibly more than a
   * page) that follows {@code after} in the plan's order: what both stores return, so paging is the
   * same on both. A token is given when more matching rows follow.
   */
  public static VisibilityPage of(List<VisibilityRow> candidates, boolean ascending, PageToken after, int pageSize) {
    Comparator<VisibilityRow> order = Comparator.comparing((VisibilityRow r) -> r.sortKey())
        .thenComparing(r -> r.record().run().runId());
    if (!ascending) {
      order = order.reversed();
    }
    List<VisibilityRow> rest = candidates.stream()
        .filter(r -> follows(r, after, ascending))
        .sorted(order)
        .toList();
    List<VisibilityRow> page = rest.size() > pageSize ? rest.subList(0, pageSize) : rest;
    if (rest.size() <= pageSize) {
      return new VisibilityPage(List.copyOf(page), null);
    }
    String lastKey = page.get(page.size() - 1).sortKey();
    List<String> atKey = new ArrayList<>();
    if (after != null && after.sortKey().equals(lastKey)) {
      atKey.addAll(after.runIdsAtKey());
    }
    page.stream().filter(r -> r.sortKey().equals(lastKey)).forEach(r -> atKey.add(r.record().run().runId()));
    return new VisibilityPage(List.copyOf(page), new PageToken(lastKey, atKey).encode());
  }

  /** Whether a row comes after the token's position (rows at the token's key not yet returned do). */
  public static boolean follows(VisibilityRow r, PageToken after, boolean ascending) {
    if (after == null) {
      return true;
    }
    int c = r.sortKey().compareTo(after.sortKey());
    if (c == 0) {
      return !after.runIdsAtKey().contains(r.record().run().runId());
    }
    return ascending ? c > 0 : c < 0;
  }
}
