package dev.tempora.examples;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What the in-memory activity implementations were asked to do, in call order, one line per
 * attempt: {@code "chargeCard(order-1, 4999)"}. Activities run on the engine's worker threads, so
 * the log is synchronised; read it with {@link #entries()}.
 */
public final class CallLog {
  private final List<String> entries = new ArrayList<>();

  /** Records {@code method(arg1, arg2, ...)}. */
  public void record(String method, Object... args) {
    String line = method + Stream.of(args).map(String::valueOf).collect(Collectors.joining(", ", "(", ")"));
    synchronized (entries) {
      entries.add(line);
    }
  }

  public List<String> entries() {
    synchronized (entries) {
      return List.copyOf(entries);
    }
  }

  /** How many calls of {@code method} were recorded. */
  public long count(String method) {
    return entries().stream().filter(e -> e.startsWith(method + "(")).count();
  }
}
