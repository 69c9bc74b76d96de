package io.iptv.core.testing;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * ffprobe's view of a media file's packets, the oracle for demuxer tests: per packet its PID, PTS, DTS,
 * keyframe flag, size and CRC-32 of the payload, as printed by
 *
 * <pre>
 * ffprobe -v error -show_packets -show_data_hash CRC32
 *   -show_entries packet=stream_index,pts,dts,flags,size,data_hash
 *                 :stream=index,id,codec_type,codec_name,width,height,sample_rate,channels:stream_tags=language
 *                 :program=program_num:program_stream=index
 *   -of json FILE
 * </pre>
 *
 * <p>Timestamps are ffprobe's: in 90 kHz for MPEG-TS, and shifted by libavformat's own wrap handling (a
 * stream that starts shortly before 2^33 shows negative values until the wrap). The CRC is the same
 * CRC-32 as {@link java.util.zip.CRC32}. Immutable and thread-safe.
 *
 * <pre>{@code
 * FfprobePackets probe = FfprobePackets.probe(TestMedia.path("h264_aac.ts"));
 * for (FfprobePackets.Packet p : probe.packets(0x100)) { ... }
 * }</pre>
 */
public final class FfprobePackets {
  private final List<Stream> streams;
  private final List<Packet> packets;

  /**
   * One elementary stream.
   *
   * @param index ffprobe's stream index
   * @param pid the MPEG-TS PID (ffprobe's stream {@code id})
   * @param codecType {@code video}, {@code audio}, {@code data}, …
   * @param codecName ffmpeg's codec name ({@code h264}, {@code aac}, …)
   * @param programNumber program_number of the program it belongs to, or 0 if none
   * @param width picture width, or 0
   * @param height picture height, or 0
   * @param sampleRate audio sample rate, or 0
   * @param channels audio channels, or 0
   * @param language the stream's {@code language} tag (ISO 639-2), or null
   */
  public record Stream(int index, int pid, String codecType, String codecName, int programNumber, int width,
      int height, int sampleRate, int channels, String language) {}

  /**
   * One packet (an access unit or audio frame) as ffprobe delivers it.
   *
   * @param streamIndex ffprobe's stream index
   * @param pid the PID of that stream
   * @param pts presentation timestamp (90 kHz for MPEG-TS), or null when ffprobe has none
   * @param dts decode timestamp, or null when ffprobe has none
   * @param keyframe ffprobe's {@code K} flag
   * @param size payload size in bytes
   * @param crc32 CRC-32 of the payload
   */
  public record Packet(int streamIndex, int pid, Long pts, Long dts, boolean keyframe, int size, long crc32) {}

  private FfprobePackets(List<Stream> streams, List<Packet> packets) {
    this.streams = List.copyOf(streams);
    this.packets = List.copyOf(packets);
  }

  /** Runs ffprobe on {@code file} (aborting or failing the test if it is missing, see {@link ExternalTools}). */
  public static FfprobePackets probe(Path file) {
    String ffprobe = ExternalTools.requireFfprobe();
    List<String> command = List.of(ffprobe, "-v", "error", "-show_packets", "-show_data_hash", "CRC32",
        "-show_entries", "packet=stream_index,pts,dts,flags,size,data_hash"
            + ":stream=index,id,codec_type,codec_name,width,height,sample_rate,channels:stream_tags=language"
            + ":program=program_num:program_stream=index",
        "-of", "json", file.toString());
    return parse(run(command));
  }

  /** Parses ffprobe's JSON output (as produced by {@link #probe}). */
  public static FfprobePackets parse(String json) {
    Map<?, ?> root = asMap(MiniJson.parse(json), "root");
    Map<Long, Integer> programOfStream = new LinkedHashMap<>();
    for (Object program : asList(root.get("programs"))) {
      Map<?, ?> p = asMap(program, "program");
      int programNumber = (int) asLong(p.get("program_num"), "program_num");
      for (Object s : asList(p.get("streams"))) {
        programOfStream.put(asLong(asMap(s, "program stream").get("index"), "index"), programNumber);
      }
    }
    Map<Integer, Stream> streamsByIndex = new LinkedHashMap<>();
    for (Object s : asList(root.get("streams"))) {
      Map<?, ?> m = asMap(s, "stream");
      int index = (int) asLong(m.get("index"), "index");
      Object id = m.get("id");
      int pid = id == null ? -1 : (int) asLong(id, "id");
      streamsByIndex.put(index, new Stream(index, pid, stringOr(m.get("codec_type"), "unknown"),
          stringOr(m.get("codec_name"), "unknown"), programOfStream.getOrDefault((long) index, 0),
          intOrZero(m.get("width")), intOrZero(m.get("height")), intOrZero(m.get("sample_rate")),
          intOrZero(m.get("channels")), language(m.get("tags"))));
    }
    List<Packet> packets = new ArrayList<>();
    for (Object p : asList(root.get("packets"))) {
      Map<?, ?> m = asMap(p, "packet");
      int index = (int) asLong(m.get("stream_index"), "stream_index");
      Stream stream = streamsByIndex.get(index);
      if (stream == null) {
        throw new IllegalArgumentException("packet of unknown stream " + index);
      }
      packets.add(new Packet(index, stream.pid(), optionalLong(m.get("pts")), optionalLong(m.get("dts")),
          stringOr(m.get("flags"), "").indexOf('K') >= 0, (int) asLong(m.get("size"), "size"),
          crc(m.get("data_hash"))));
    }
    return new FfprobePackets(new ArrayList<>(streamsByIndex.values()), packets);
  }

  /** All streams, in ffprobe's order. */
  public List<Stream> streams() {
    return streams;
  }

  /** All packets, in file order. */
  public List<Packet> packets() {
    return packets;
  }

  /** The packets of one PID, in file order (empty if none). */
  public List<Packet> packets(int pid) {
    return packets.stream().filter(p -> p.pid() == pid).toList();
  }

  /** The streams of program {@code programNumber}. */
  public List<Stream> streamsOfProgram(int programNumber) {
    return streams.stream().filter(s -> s.programNumber() == programNumber).toList();
  }

  private static String run(List<String> command) {
    return ToolRun.of(command).requireSuccess().stdoutText();
  }

  private static long crc(Object hash) {
    String text = stringOr(hash, "");
    if (!text.startsWith("CRC32:")) {
      throw new IllegalArgumentException("expected data_hash CRC32:xxxxxxxx, got '" + text + "'");
    }
    return Long.parseLong(text.substring("CRC32:".length()), 16);
  }

  private static Map<?, ?> asMap(Object value, String what) {
    if (!(value instanceof Map<?, ?> map)) {
      throw new IllegalArgumentException("expected a JSON object for " + what + ", got " + value);
    }
    return map;
  }

  private static List<?> asList(Object value) {
    return value == null ? List.of() : (List<?>) value;
  }

  private static Long optionalLong(Object value) {
    return value == null ? null : asLong(value, "timestamp");
  }

  /** ffprobe prints some numbers as strings ({@code "size": "6735"}) and PIDs as hex ({@code "0x100"}). */
  private static long asLong(Object value, String what) {
    if (value instanceof Long l) {
      return l;
    }
    if (value instanceof String s) {
      return s.startsWith("0x") ? Long.parseLong(s.substring(2), 16) : Long.parseLong(s);
    }
    throw new IllegalArgumentException("expected a number for " + what + ", got " + value);
  }

  private static int intOrZero(Object value) {
    return value == null ? 0 : (int) asLong(value, "number");
  }

  private static String language(Object tags) {
    return tags instanceof Map<?, ?> map && map.get("language") instanceof String s ? s : null;
  }

  private static String stringOr(Object value, String fallback) {
    return value == null ? fallback : Objects.toString(value);
  }
}
