package dev.tempora.examples.etl;

import dev.tempora.activity.ActivityInterface;
import java.util.List;

/** Activity types Extract, Transform and Load. */
@ActivityInterface
public interface EtlActivities {
  /** The source's rows, as CSV lines {@code id,name,amount}. */
  List<String> extract(String source);

  /** Rows as {@code name=amount}; a malformed row fails non-retryably with type {@code MalformedRow}. */
  List<String> transform(List<String> rows);

  /** Writes the rows; returns how many were written. */
  int load(String target, List<String> rows);
}
