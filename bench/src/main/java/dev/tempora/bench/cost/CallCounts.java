package dev.tempora.bench.cost;

import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;

/** What {@link AwsCallRecorder} counted in one run: rows by component, service, operation and queue. */
public record CallCounts(List<AwsCallRecorder.Row> rows) {

  public CallCounts {
    rows = rows.stream().sorted(Comparator.comparing(AwsCallRecorder.Row::component)
        .thenComparing(AwsCallRecorder.Row::service).thenComparing(AwsCallRecorder.Row::operation)
        .thenComparing(AwsCallRecorder.Row::resource)).toList();
  }

  public CallCounts filter(Predicate<AwsCallRecorder.Row> p) {
    return new CallCounts(rows.stream().filter(p).toList());
  }

  public double sum(ToDoubleFunction<AwsCallRecorder.Row> f) {
    return rows.stream().mapToDouble(f).sum();
  }

  /** Calls of one operation of one service ("DynamoDb", "PutItem"), all components and resources. */
  public long calls(String service, String operation) {
    return (long) filter(r -> r.service().equals(service) && r.operation().equals(operation))
        .sum(AwsCallRecorder.Row::calls);
  }

  /** A table of the rows, for notes and logs. */
  public String table() {
    StringBuilder b = new StringBuilder(String.format("%-28s %-10s %-20s %-29s %8s %8s %9s %9s %8s%n",
        "component", "service", "operation", "queue", "calls", "billed", "RRU", "WRU", "ms/call"));
    for (AwsCallRecorder.Row r : rows) {
      b.append(String.format("%-28s %-10s %-20s %-29s %8d %8d %9.1f %9.1f %8.2f%n", r.component(), r.service(),
          r.operation(), r.resource(), r.calls(), r.billedRequests(), r.readUnits(), r.writeUnits(),
          r.nanos() / 1e6 / Math.max(1, r.calls())));
    }
    return b.toString();
  }
}
