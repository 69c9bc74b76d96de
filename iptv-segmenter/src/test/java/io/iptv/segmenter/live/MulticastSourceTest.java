package io.iptv.segmenter.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iptv.core.testing.ExternalTools;
import io.iptv.core.testing.TestMedia;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Source-specific multicast for real, without touching the host's network: the test makes a user + network
 * namespace ({@code unshare -rn}), brings {@code lo} up, routes 224.0.0.0/4 to it and runs
 * {@link MulticastProbe} inside, in a child JVM.
 *
 * <p>Skips (printing why) when the kernel refuses: {@code unshare} or the namespace's netlink answering
 * {@code Operation not permitted} / {@code Permission denied} (unprivileged user namespaces disabled by
 * {@code kernel.unprivileged_userns_clone=0}, {@code user.max_user_namespaces=0}, AppArmor or seccomp): a kernel
 * policy, not a test problem. With {@code CI=true} every other refusal (no {@code unshare} or {@code ip} binary) fails the test.
 */
class MulticastSourceTest {
  @Test
  void joinsSourceSpecificMulticastInANetworkNamespace() throws Exception {
    String java = ProcessHandle.current().info().command().orElse("java");
    String script = "ip link set lo up && ip route add 224.0.0.0/4 dev lo && exec \"$0\" -cp \"$1\" "
        + MulticastProbe.class.getName() + " 232.1.2.3 5004";
    Process process;
    try {
      process = new ProcessBuilder(List.of("unshare", "-rn", "sh", "-c", script, java,
          System.getProperty("java.class.path"))).redirectErrorStream(true).start();
    } catch (IOException e) {
      refused("cannot run unshare: " + e.getMessage(), false);
      return;
    }
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      Assertions.fail("the multicast probe did not finish in 60 s");
    }
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    System.out.println("MulticastSourceTest: " + output.strip());
    boolean kernelRefused = (output.contains("unshare") || output.contains("RTNETLINK"))
        && (output.contains("Operation not permitted") || output.contains("Permission denied"));
    if (process.exitValue() != 0 && kernelRefused) {
      refused("the kernel refuses an unprivileged user+network namespace: " + output.strip(), true);
      return;
    }
    if (process.exitValue() != 0 && output.contains("not found")) {
      refused("a tool is missing: " + output.strip(), false);
      return;
    }
    Matcher m = Pattern.compile("MULTICAST bytes=(\\d+) segments=(\\d+)").matcher(output);
    assertTrue(m.find(), "no result from the probe (exit " + process.exitValue() + "): " + output);
    assertEquals(TestMedia.bytes("h264_aac.ts").length, Long.parseLong(m.group(1)),
        "exactly the joined source's bytes must arrive (the other sender's must be filtered)");
    assertTrue(Integer.parseInt(m.group(2)) >= 1, output);
  }

  private static void refused(String why, boolean byKernel) {
    if (ExternalTools.isCi() && !byKernel) {
      Assertions.fail(why + "; CI=true: only a refusal by the kernel may skip this test");
    }
    System.out.println("MulticastSourceTest skipped: " + why);
    Assumptions.abort(why);
  }
}
