package dev.tempora.bench.memory;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import javax.management.ObjectName;

/**
 * Heap measurements of this JVM: used heap after full collections, the process's resident set,
 * and a class histogram (the in-process form of {@code jcmd <pid> GC.class_histogram}) to say what
 * a delta consists of.
 */
final class HeapMeter {
  private HeapMeter() {}

  /** Used heap after repeated full GCs, once two readings in a row agree within 1%. */
  static long usedAfterGc() throws InterruptedException {
    long last = Long.MAX_VALUE;
    for (int i = 0; i < 8; i++) {
      System.gc();
      Thread.sleep(150);
      long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
      if (Math.abs(used - last) < last / 100) {
        return Math.min(used, last);
      }
      last = used;
    }
    return last;
  }

  /** Resident set size of this process in bytes (Linux), or -1 where /proc is not there. */
  static long rssBytes() {
    try (Stream<String> lines = Files.lines(Path.of("/proc/self/status"))) {
      return lines.filter(l -> l.startsWith("VmRSS:")).findFirst()
          .map(l -> Long.parseLong(l.replaceAll("[^0-9]", "")) * 1024).orElse(-1L);
    } catch (Exception e) {
      return -1;
    }
  }

  /** Bytes per class name on the heap (live objects: the histogram runs a full GC first). */
  static Map<String, Long> histogram() throws Exception {
    ObjectName dcmd = new ObjectName("com.sun.management:type=DiagnosticCommand");
    String text = (String) ManagementFactory.getPlatformMBeanServer().invoke(dcmd, "gcClassHistogram",
        new Object[] {new String[0]}, new String[] {String[].class.getName()});
    Map<String, Long> bytes = new HashMap<>();
    for (String line : text.split("\n")) {
      String[] f = line.trim().split("\\s+");
      // "num: #instances #bytes class-name (module)"
      if (f.length >= 4 && f[0].endsWith(":") && f[1].chars().allMatch(Character::isDigit)) {
        bytes.merge(f[3], Long.parseLong(f[2]), Long::sum);
      }
    }
    return bytes;
  }

  /** Bytes per {@code units} by which the classes whose names start with {@code prefix} grew. */
  static double growth(Map<String, Long> before, Map<String, Long> after, String prefix, int units) {
    long sum = 0;
    for (Map.Entry<String, Long> e : after.entrySet()) {
      if (e.getKey().startsWith(prefix)) {
        sum += e.getValue() - before.getOrDefault(e.getKey(), 0L);
      }
    }
    return (double) sum / units;
  }

  /** The classes that grew most between two histograms, as "name +N B/unit" over {@code units}. */
  static String topGrowth(Map<String, Long> before, Map<String, Long> after, int units, int top) {
    List<Map.Entry<String, Long>> growth = new ArrayList<>();
    after.forEach((cls, b) -> growth.add(Map.entry(cls, b - before.getOrDefault(cls, 0L))));
    growth.sort(Map.Entry.<String, Long>comparingByValue().reversed());
    List<String> parts = new ArrayList<>();
    for (Map.Entry<String, Long> e : growth.subList(0, Math.min(top, growth.size()))) {
      parts.add(String.format(Locale.ROOT, "%s %,.0f B", e.getKey(), (double) e.getValue() / units));
    }
    return String.join(", ", parts);
  }
}
