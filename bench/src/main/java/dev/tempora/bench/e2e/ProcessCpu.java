package dev.tempora.bench.e2e;

import java.lang.management.ManagementFactory;

/** Process CPU time (all threads), from the JDK's OperatingSystemMXBean. */
final class ProcessCpu {
  private ProcessCpu() {}

  private static final com.sun.management.OperatingSystemMXBean OS =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  static long nanos() {
    return OS.getProcessCpuTime();
  }
}
