package dev.tempora.examples.etl;

import dev.tempora.activity.Activity;
import dev.tempora.examples.CallLog;
import dev.tempora.failure.ApplicationFailure;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * ETL over in-memory tables. The transform service is down for the first
 * {@code transientTransformFailures} calls ({@link TransformUnavailableException}, retried by
 * policy); a row without exactly three comma-separated fields is a non-retryable {@code MalformedRow}.
 */
public final class InMemoryEtlActivities implements EtlActivities {
  private final CallLog log;
  private final Map<String, List<String>> tables = new HashMap<>();
  private int transientFailuresLeft;

  public InMemoryEtlActivities(CallLog log, Map<String, List<String>> sources, int transientTransformFailures) {
    this.log = log;
    this.tables.putAll(sources);
    this.transientFailuresLeft = transientTransformFailures;
  }

  @Override
  public synchronized List<String> extract(String source) {
    log.record("extract", source);
    return List.copyOf(tables.getOrDefault(source, List.of()));
  }

  @Override
  public synchronized List<String> transform(List<String> rows) {
    int attempt = Activity.getExecutionContext().getInfo().attempt();
    log.record("transform", rows.size() + " rows, attempt " + attempt);
    if (transientFailuresLeft > 0) {
      transientFailuresLeft--;
      throw new TransformUnavailableException("transform service unavailable");
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < rows.size(); i++) {
      String[] f = rows.get(i).split(",");
      if (f.length != 3) {
        throw ApplicationFailure.newNonRetryableFailure("row " + (i + 1) + " is malformed: " + rows.get(i), "MalformedRow");
      }
      out.add(f[1] + "=" + f[2]);
    }
    return out;
  }

  @Override
  public synchronized int load(String target, List<String> rows) {
    log.record("load", target, rows.size() + " rows");
    tables.computeIfAbsent(target, t -> new ArrayList<>()).addAll(rows);
    return rows.size();
  }
}
