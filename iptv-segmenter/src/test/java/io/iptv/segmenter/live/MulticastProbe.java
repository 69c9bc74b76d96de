package io.iptv.segmenter.live;

import io.iptv.core.testing.TestMedia;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;

/**
 * Run by {@link MulticastSourceTest} in a fresh user + network namespace: joins a source-specific multicast
 * group on {@code lo}, has a wrong sender (127.0.0.2) and the right one (127.0.0.1) send a clip to the group,
 * and prints {@code MULTICAST bytes=N segments=M}. Only the right sender's bytes may arrive.
 */
public final class MulticastProbe {
  private MulticastProbe() {}

  public static void main(String[] args) throws Exception {
    String group = args[0];
    int port = Integer.parseInt(args[1]);
    byte[] clip = TestMedia.bytes("h264_aac.ts");
    try (LivePackager live = LivePackager.builder().segmentDuration(Duration.ofSeconds(1))
        .maxKeyframeInterval(Duration.ofSeconds(1)).build()) {
      LiveChannel channel = live.openChannel("mc", ChannelConfig.builder().endListOnClose(false).build());
      channel.attach(live.source(SourceUri.parse("udp://" + group + ":" + port + "?source=127.0.0.1&interface=lo")));
      send(clip, "127.0.0.2", group, port); // not the joined source: the kernel must filter it
      send(clip, "127.0.0.1", group, port);
      long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (channel.statistics().bytesProcessed() < clip.length && System.nanoTime() < end) {
        Thread.sleep(20);
      }
      Thread.sleep(300);
      ChannelStatistics s = channel.statistics();
      System.out.println("MULTICAST bytes=" + s.bytesReceived() + " segments=" + s.segmentsProduced());
    }
  }

  private static void send(byte[] ts, String from, String group, int port) throws Exception {
    try (DatagramChannel sender = DatagramChannel.open(StandardProtocolFamily.INET)) {
      sender.setOption(StandardSocketOptions.IP_MULTICAST_IF, NetworkInterface.getByName("lo"));
      sender.setOption(StandardSocketOptions.IP_MULTICAST_LOOP, true);
      sender.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
      InetSocketAddress target = new InetSocketAddress(InetAddress.getByName(group), port);
      for (int at = 0, i = 0; at < ts.length; at += 1316, i++) {
        sender.send(ByteBuffer.wrap(ts, at, Math.min(1316, ts.length - at)), target);
        if (i % 32 == 31) {
          Thread.sleep(2);
        }
      }
    }
  }
}
