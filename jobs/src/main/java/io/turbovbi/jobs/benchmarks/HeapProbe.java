package io.turbovbi.jobs.benchmarks;

import com.sun.tools.attach.VirtualMachine;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * The heap of another JVM on this machine, read over JMX through the attach API: how much is in use, and how much
 * is still in use after a full collection it asks for (the live data, which a reading of "used" alone mixes with
 * garbage that the collector has not reclaimed yet).
 */
final class HeapProbe implements AutoCloseable {
  private final JMXConnector connector;
  private final MemoryMXBean memory;

  private HeapProbe(JMXConnector connector, MemoryMXBean memory) {
    this.connector = connector;
    this.memory = memory;
  }

  /** Attaches to the JVM of process {@code pid} (of this user) and starts its local JMX agent. */
  static HeapProbe attach(long pid) throws IOException {
    String address;
    try {
      VirtualMachine vm = VirtualMachine.attach(Long.toString(pid));
      try {
        address = vm.startLocalManagementAgent();
      } finally {
        vm.detach();
      }
    } catch (com.sun.tools.attach.AttachNotSupportedException e) {
      throw new IOException("cannot attach to JVM " + pid + ": " + e.getMessage(), e);
    }
    JMXConnector connector = JMXConnectorFactory.connect(new JMXServiceURL(address));
    try {
      MemoryMXBean memory = ManagementFactory.newPlatformMXBeanProxy(connector.getMBeanServerConnection(),
          ManagementFactory.MEMORY_MXBEAN_NAME, MemoryMXBean.class);
      return new HeapProbe(connector, memory);
    } catch (IOException | RuntimeException e) {
      connector.close();
      throw e;
    }
  }

  /** One reading: heap in use now, then heap in use after a full collection. */
  Reading read() {
    long used = memory.getHeapMemoryUsage().getUsed();
    memory.gc();
    return new Reading(used, memory.getHeapMemoryUsage().getUsed());
  }

  @Override
  public void close() {
    try {
      connector.close();
    } catch (IOException e) {
      // The JVM has ended: nothing left to release.
    }
  }

  /** Heap bytes in use, before and after a full collection. */
  record Reading(long usedBytes, long liveBytes) {}
}
