package io.iptv.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link BatchJit} in a child JVM (it changes the JIT of the whole process, not to be done to the test fork). */
@Timeout(120)
class BatchJitTest {
  /** Child main: prints what {@link BatchJit#apply()} returned. */
  public static final class Child {
    public static void main(String[] args) {
      System.out.println("applied=" + BatchJit.apply());
    }
  }

  /**
   * Child main: applies BatchJit, then runs AES-CBC in 8 KB calls (as the AES-128 packaging does) next to a hot
   * method of its own until the JDK's CBC code is compiled by C2 (at most 60 s), and prints which of the two
   * reached C2 (level 4 in the JVM's code list): the JDK's AES intrinsics exist only in C2 code, and C1-only
   * crypto ran AES-CBC 10× slower.
   */
  public static final class CryptoChild {
    static long spin(long x) {
      for (int i = 0; i < 1000; i++) {
        x = x * 31 + i;
      }
      return x;
    }

    public static void main(String[] args) throws Exception {
      System.out.println("applied=" + BatchJit.apply());
      javax.management.MBeanServer server = java.lang.management.ManagementFactory.getPlatformMBeanServer();
      javax.management.ObjectName dcmd = new javax.management.ObjectName("com.sun.management:type=DiagnosticCommand");
      javax.crypto.Cipher cbc = javax.crypto.Cipher.getInstance("AES/CBC/PKCS5Padding");
      cbc.init(javax.crypto.Cipher.ENCRYPT_MODE, new javax.crypto.spec.SecretKeySpec(new byte[16], "AES"),
          new javax.crypto.spec.IvParameterSpec(new byte[16]));
      byte[] in = new byte[8192];
      byte[] out = new byte[8192 + 16];
      long sink = 0;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      String codes = "";
      while (System.nanoTime() < deadline && !cryptoAtC2(codes)) {
        for (int i = 0; i < 1000; i++) {
          cbc.update(in, 0, in.length, out, 0);
          sink += spin(i);
        }
        codes = (String) server.invoke(dcmd, "compilerCodelist", new Object[] {new String[0]},
            new String[] {String[].class.getName()});
      }
      System.out.println("cbc-c2=" + cryptoAtC2(codes));
      System.out.println("own-c2=" + atC2(codes, CryptoChild.class.getName() + ".spin("));
      System.out.println("own-compiled=" + codes.contains(CryptoChild.class.getName() + ".spin(") + " " + (sink & 1));
    }

    /**
     * Whether the JDK's AES-CBC path is C2 code: C2 may compile {@code CipherBlockChaining.encrypt} on its own or
     * inline it into {@code CipherCore}/{@code Cipher.update}, so any of them at level 4 counts.
     */
    private static boolean cryptoAtC2(String codes) {
      return atC2(codes, "com.sun.crypto.provider.CipherBlockChaining.")
          || atC2(codes, "com.sun.crypto.provider.CipherCore.") || atC2(codes, "javax.crypto.Cipher.update(");
    }

    /** Whether the code list (lines "id level state method ...") has {@code method} at level 4. */
    private static boolean atC2(String codes, String method) {
      return codes.lines().map(String::trim).anyMatch(l -> l.split(" +").length > 3
          && l.split(" +")[1].equals("4") && l.split(" +")[3].startsWith(method));
    }
  }

  /**
   * Child main: the route {@code java -jar iptv.jar} takes (its manifest opens the package): prints whether
   * the diagnostic command ran without the MBean server, and what apply() returns afterwards.
   */
  public static final class DirectChild {
    public static void main(String[] args) throws IOException {
      Path file = java.nio.file.Files.createTempFile("iptv-jit-test-", ".json");
      try {
        java.nio.file.Files.writeString(file, "[{ match: \"java/lang/Object.*\", c2: { Exclude: true } }]");
        System.out.println("direct=" + BatchJit.addDirectly(file).trim() + " applied=" + BatchJit.apply());
      } finally {
        java.nio.file.Files.delete(file);
      }
    }
  }

  private static String runChild(String... jvmOptions) throws IOException, InterruptedException {
    return runChild(Child.class, jvmOptions);
  }

  private static String runChild(Class<?> main, String... jvmOptions) throws IOException, InterruptedException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new java.util.ArrayList<>(List.of(java));
    command.addAll(List.of(jvmOptions));
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    if (!p.waitFor(90, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("child JVM did not exit");
    }
    assertEquals(0, p.exitValue(), out);
    return out;
  }

  @Test
  void hotSpotTakesTheC1OnlyDirective() throws Exception {
    String vm = System.getProperty("java.vm.name", "");
    org.junit.jupiter.api.Assumptions.assumeTrue(vm.contains("HotSpot") || vm.contains("OpenJDK"),
        "HotSpot only: " + vm);
    assertEquals("applied=true", runChild());
  }

  @Test
  void jdkCryptoStillReachesC2WhileOurCodeStaysAtC1() throws Exception {
    String vm = System.getProperty("java.vm.name", "");
    org.junit.jupiter.api.Assumptions.assumeTrue(vm.contains("HotSpot") || vm.contains("OpenJDK"),
        "HotSpot only: " + vm);
    String out = runChild(CryptoChild.class);
    assertTrue(out.contains("applied=true"), out);
    assertTrue(out.contains("cbc-c2=true"), "AES-CBC never compiled by C2 (no AES intrinsic): " + out);
    assertTrue(out.contains("own-compiled=true") && out.contains("own-c2=false"),
        "the child's own hot method should be compiled, by C1 only: " + out);
  }

  @Test
  void withThePackageOpenTheCommandRunsWithoutTheMBeanServer() throws Exception {
    String vm = System.getProperty("java.vm.name", "");
    org.junit.jupiter.api.Assumptions.assumeTrue(vm.contains("HotSpot") || vm.contains("OpenJDK"),
        "HotSpot only: " + vm);
    assertEquals("direct=1 compiler directives added applied=true",
        runChild(DirectChild.class, "--add-opens=jdk.management/com.sun.management.internal=ALL-UNNAMED"));
  }

  /**
   * With C2 as the only compiler, excluding C2 would leave every method interpreted (a 1 GB packaging took 250 s
   * instead of 1.3 s): the directive must not be added.
   */
  @Test
  void aJvmWithoutC1KeepsItsJit() throws Exception {
    String vm = System.getProperty("java.vm.name", "");
    org.junit.jupiter.api.Assumptions.assumeTrue(vm.contains("HotSpot") || vm.contains("OpenJDK"),
        "HotSpot only: " + vm);
    assertEquals("applied=false", runChild("-XX:-TieredCompilation"));
    assertEquals("applied=false", runChild("-XX:CompilationMode=high-only"));
    assertEquals("applied=false", runChild("-XX:-TieredCompilation", // the route java -jar iptv.jar takes
        "--add-opens=jdk.management/com.sun.management.internal=ALL-UNNAMED"));
    assertEquals("applied=true", runChild("-XX:TieredStopAtLevel=1"));
  }

  @Test
  void flagsWithoutC1AreRecognised() {
    assertTrue(BatchJit.hasC1("-XX:CICompilerCount=2 -XX:+UseG1GC -XX:TieredStopAtLevel=1"));
    assertTrue(!BatchJit.hasC1("-XX:CICompilerCount=2 -XX:-TieredCompilation -XX:+UseG1GC"));
    assertTrue(!BatchJit.hasC1("-XX:CompilationMode=high-only-quick-internal"));
  }

  @Test
  void propertyTurnsItOff() throws Exception {
    assertEquals("applied=false", runChild("-D" + BatchJit.PROPERTY + "=false"));
  }
}
