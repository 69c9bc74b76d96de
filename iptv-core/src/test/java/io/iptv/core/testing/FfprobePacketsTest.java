package io.iptv.core.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FfprobePacketsTest {
  @Test
  void parsesFfprobeJson() {
    String json = """
        {"packets": [
           {"stream_index": 0, "pts": 133200, "dts": 126000, "size": "6735", "flags": "K_",
            "side_data_list": [{"side_data_type": "MPEGTS Stream ID", "id": 224}],
            "data_hash": "CRC32:cb8d8d18"},
           {"stream_index": 1, "size": "272", "flags": "__", "data_hash": "CRC32:0000000a"}],
         "programs": [{"program_num": 7, "streams": [{"index": 0}, {"index": 1}]}],
         "streams": [{"index": 0, "codec_name": "h264", "codec_type": "video", "width": 320, "height": 180,
                      "id": "0x100"},
                     {"index": 1, "codec_name": "aac", "codec_type": "audio", "sample_rate": "48000",
                      "channels": 2, "id": "0x1ffe", "tags": {"language": "eng"}}]}
        """;
    FfprobePackets probe = FfprobePackets.parse(json);

    assertEquals(List.of(new FfprobePackets.Stream(0, 0x100, "video", "h264", 7, 320, 180, 0, 0, null),
        new FfprobePackets.Stream(1, 0x1FFE, "audio", "aac", 7, 0, 0, 48000, 2, "eng")), probe.streams());
    FfprobePackets.Packet video = probe.packets(0x100).get(0);
    assertEquals(133200L, video.pts());
    assertEquals(126000L, video.dts());
    assertTrue(video.keyframe());
    assertEquals(6735, video.size());
    assertEquals(0xcb8d8d18L, video.crc32());
    FfprobePackets.Packet audio = probe.packets(0x1FFE).get(0);
    assertNull(audio.pts());
    assertNull(audio.dts());
    assertFalse(audio.keyframe());
  }

  @Test
  void probesClipStreamsAndPrograms() {
    FfprobePackets probe = FfprobePackets.probe(TestMedia.path("two_programs.ts"));

    assertEquals(List.of(0x100, 0x101), probe.streamsOfProgram(1).stream().map(FfprobePackets.Stream::pid).toList());
    assertEquals(List.of(0x102, 0x103), probe.streamsOfProgram(2).stream().map(FfprobePackets.Stream::pid).toList());
    assertEquals("video", probe.streams().get(0).codecType());
    assertEquals(List.of("eng", "deu", "fra"), FfprobePackets.probe(TestMedia.path("h264_aac_multilang.ts"))
        .streams().stream().skip(1).map(FfprobePackets.Stream::language).toList());
    // 3 s at 25 fps; about 141 AAC frames of 1024 samples at 48 kHz.
    assertEquals(75, probe.packets(0x100).size());
    assertTrue(probe.packets(0x101).size() > 130, "audio frames: " + probe.packets(0x101).size());
  }

  /** The sizes and CRCs must describe the very bytes ffmpeg copies out of the stream. */
  @Test
  void sizesAndCrcsMatchTheRawPackets(@TempDir Path tmp) throws Exception {
    String ffmpeg = ExternalTools.requireFfmpeg();
    Path clip = TestMedia.path("h264_aac.ts");
    FfprobePackets probe = FfprobePackets.probe(clip);
    for (int streamIndex = 0; streamIndex < 2; streamIndex++) {
      Path raw = tmp.resolve("stream" + streamIndex + ".bin");
      runFfmpeg(ffmpeg, "-v", "error", "-i", clip.toString(), "-map", "0:" + streamIndex, "-c", "copy",
          "-f", "data", raw.toString());
      byte[] bytes = Files.readAllBytes(raw);
      int pid = probe.streams().get(streamIndex).pid();
      int offset = 0;
      for (FfprobePackets.Packet packet : probe.packets(pid)) {
        CRC32 crc = new CRC32();
        crc.update(bytes, offset, packet.size());
        assertEquals(packet.crc32(), crc.getValue(), "CRC of packet at raw offset " + offset);
        offset += packet.size();
      }
      assertEquals(bytes.length, offset, "sizes of stream " + streamIndex + " add up to the raw stream");
    }
  }

  private static void runFfmpeg(String ffmpeg, String... args) throws IOException, InterruptedException {
    List<String> command = new java.util.ArrayList<>(List.of(ffmpeg, "-nostdin", "-y"));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).inheritIO().start();
    assertTrue(process.waitFor(60, TimeUnit.SECONDS), "ffmpeg timed out");
    assertEquals(0, process.exitValue(), "ffmpeg exit code");
  }
}
