package io.iptv.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
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
  void withThePackageOpenTheCommandRunsWithoutTheMBeanServer() throws Exception {
    String vm = System.getProperty("java.vm.name", "");
    org.junit.jupiter.api.Assumptions.assumeTrue(vm.contains("HotSpot") || vm.contains("OpenJDK"),
        "HotSpot only: " + vm);
    assertEquals("direct=1 compiler directives added applied=true",
        runChild(DirectChild.class, "--add-opens=jdk.management/com.sun.management.internal=ALL-UNNAMED"));
  }

  @Test
  void propertyTurnsItOff() throws Exception {
    assertEquals("applied=false", runChild("-D" + BatchJit.PROPERTY + "=false"));
  }
}
