package io.iptv.examples.cli;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * Makes this JVM compile with C1 only, for a batch job of a few seconds (the {@code package} command): the
 * C2 compiler's work on the demux and mux loops (large inlined methods, compiled several times over) cost about
 * a third of all CPU of a 1 GB packaging run and pays for itself only in jobs of minutes. A jar manifest cannot
 * pass {@code -XX:TieredStopAtLevel=1}; instead this adds a HotSpot compiler directive (JEP 165) excluding C2
 * for every method, in-process, with the {@code Compiler.directives_add} diagnostic command (what {@code jcmd
 * <pid> Compiler.directives_add} does). Methods then stay at C1 (level 1), as with {@code -XX:TieredStopAtLevel=1}.
 *
 * <p>The command is run straight on the JDK's {@code DiagnosticCommandImpl} when its package is open to us (the
 * jar manifest's {@code Add-Opens: jdk.management/com.sun.management.internal}, i.e. {@code java -jar iptv.jar}).
 * Otherwise it goes through the platform MBean server, whose creation registers every platform MXBean (memory
 * pools, collectors, JFR, logging…): 0.1–0.2 s more CPU in a JVM that has just started.
 *
 * <p>Except the JDK's crypto ({@code javax.crypto}, {@code com.sun.crypto.provider}), which a first directive
 * leaves to C2: HotSpot's AES-NI intrinsics exist only in C2 code, and AES-CBC compiled by C1 runs as table
 * Java at about a tenth of the speed (a 1 GB AES-128 packaging took 9.0 s instead of 3.3 s).
 *
 * <p>The same directive makes C1 inline {@code Unsafe.getLongUnaligned}, the read behind a {@code byte[]}-view
 * {@code VarHandle}: under a directive C1 otherwise refuses it ("callee uses too much stack", which it does not
 * under {@code -XX:TieredStopAtLevel=1}), and the eight-bytes-at-a-time start-code search of the video readers
 * then makes a call per word and runs at about half speed (2.3 instead of 4.4 GB/s).
 *
 * <p>Not on a JVM whose only compiler is C2 ({@code -XX:-TieredCompilation}, {@code -XX:CompilationMode=high-only}
 * in the JVM's flags, read with the {@code VM.flags} command first): excluding C2 there leaves every method
 * interpreted, and a 1 GB packaging took 250 s instead of 1.3 s.
 *
 * <p>Best effort: on a JVM without the MBean or the command (not HotSpot), or with
 * {@code -Diptv.batchJit=false}, nothing changes. Call before the work starts; later calls do nothing.
 * Thread-safe.
 *
 * <pre>{@code
 * BatchJit.apply(); // then package
 * }</pre>
 */
final class BatchJit {
  /** System property that turns this off ({@code -Diptv.batchJit=false}). */
  static final String PROPERTY = "iptv.batchJit";
  private static final String C1_ONLY = "["
      + "{ match: [\"com/sun/crypto/provider/*.*\", \"javax/crypto/*.*\"], c2: { Exclude: false } }, "
      + "{ match: \"*.*\", c1: { inline: \"+jdk/internal/misc/Unsafe.getLongUnaligned\" }, c2: { Exclude: true } }"
      + "]";
  /** Whether the directive was added already (once per JVM: each call would add another copy). */
  private static boolean applied;

  private BatchJit() {}

  /** Adds the C1-only directive unless disabled or already added; returns whether the JVM has it. */
  static synchronized boolean apply() {
    if (!Boolean.parseBoolean(System.getProperty(PROPERTY, "true"))) {
      return false;
    }
    if (applied) {
      return true;
    }
    Path file = null;
    try {
      String flags = runDirectly("VM.flags");
      if (flags == null) {
        flags = runThroughMBeanServer("vmFlags", new String[0]);
      }
      if (flags == null || !hasC1(flags)) {
        return false;
      }
      file = Files.createTempFile("iptv-jit-", ".json");
      Files.writeString(file, C1_ONLY, StandardCharsets.UTF_8);
      String reply = addDirectly(file);
      if (reply == null) {
        reply = runThroughMBeanServer("compilerDirectivesAdd", new String[] {file.toString()});
      }
      // "2 compiler directives added": any positive count means the JVM took the list
      applied = reply != null && reply.matches("(?s).*\\b[1-9][0-9]* compiler directives added.*");
      return applied;
    } catch (IOException | JMException | RuntimeException e) {
      return false; // not HotSpot, no jdk.management, or a security manager: keep the default JIT
    } finally {
      if (file != null) {
        try {
          Files.deleteIfExists(file);
        } catch (IOException e) {
          // a leftover temp file of a few bytes
        }
      }
    }
  }

  /**
   * Whether the JVM whose non-default flags ({@code VM.flags} output) are given compiles with C1: tiered
   * compilation on and not C2 only. {@code -Xint} counts as no C1 too (nothing to change there).
   */
  static boolean hasC1(String vmFlags) {
    return !vmFlags.contains("-XX:-TieredCompilation") && !vmFlags.contains("-XX:CompilationMode=high-only");
  }

  /**
   * Runs {@code Compiler.directives_add file} on the JDK's {@code DiagnosticCommandImpl} without an MBean
   * server; the command's reply, or null when that class is not open to this module (no {@code Add-Opens}) or
   * not there (another JVM).
   */
  static String addDirectly(Path file) {
    return runDirectly("Compiler.directives_add " + file);
  }

  /** Runs a diagnostic command line on {@code DiagnosticCommandImpl} (see {@link #addDirectly}); reply or null. */
  private static String runDirectly(String command) {
    try {
      // Its static initialiser loads libmanagement_ext, where the diagnostic command natives live.
      Class.forName("com.sun.management.internal.PlatformMBeanProviderImpl", true,
          ClassLoader.getPlatformClassLoader());
      Class<?> impl = Class.forName("com.sun.management.internal.DiagnosticCommandImpl", true,
          ClassLoader.getPlatformClassLoader());
      Method instance = impl.getDeclaredMethod("getDiagnosticCommandMBean");
      instance.setAccessible(true);
      Method execute = impl.getDeclaredMethod("executeDiagnosticCommand", String.class);
      execute.setAccessible(true);
      return (String) execute.invoke(instance.invoke(null), command);
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      return null; // InaccessibleObjectException without Add-Opens, or a JDK without these internals
    }
  }

  /**
   * Runs a diagnostic command through the platform MBean server ({@code operation} is its MBean name, e.g.
   * {@code compilerDirectivesAdd} for {@code Compiler.directives_add}); the command's reply.
   */
  static String runThroughMBeanServer(String operation, String[] arguments) throws JMException {
    MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    Object reply = server.invoke(new ObjectName("com.sun.management:type=DiagnosticCommand"),
        operation, new Object[] {arguments}, new String[] {String[].class.getName()});
    return reply instanceof String text ? text : null;
  }
}
