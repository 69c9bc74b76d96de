package io.iptv.segmenter.dvr;

import io.iptv.core.internal.Preconditions;
import io.iptv.segmenter.hls.HlsKey;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;

/**
 * A {@link ChannelStateStore} keeping each channel's state in {@code DIR/CHANNEL.state}, a small
 * {@code java.util.Properties} text file, written to a temporary file in the same directory and renamed
 * over the old one (atomic on POSIX file systems), so a crash never leaves a half-written state. The file's
 * bytes are forced to the device before the rename and the directory entry after it ({@code fsync}), so that
 * after a power cut the state is the old one or the new one, never an empty file (ext4 and XFS may persist a
 * rename before the data it points to); {@link #withoutSync()} skips both for throwaway state on tmpfs.
 *
 * <p>Format (version 1): {@code nextMediaSequence}, {@code discontinuityCount}, {@code lastSegmentEnd},
 * {@code renditions} (count), and per rendition {@code r.N.dir}, {@code r.N.count} and
 * {@code r.N.s.M=sequence|uri|duration90k|pdt|discontinuity|discontinuitySequence|bytes|keyIndex[|initUri]}
 * (the init field only for an fMP4 segment that needs another init segment than {@code init.mp4}), the
 * distinct keys as {@code r.N.k.K.method}, {@code .uri}, {@code .iv}, {@code .format}, {@code .versions}
 * (absent when null; keyIndex empty for a clear segment), and {@code r.N.expiring} (segment names in their
 * grace period, separated by {@code |}). A file that
 * cannot be parsed is reported as an {@link IOException} naming it (the operator decides; it is never
 * silently ignored).
 *
 * <p>Thread-safe: saves of one channel are serialised; different channels use different files.
 *
 * <pre>{@code
 * ChannelStateStore store = FileChannelStateStore.in(Path.of("state"));
 * store.save("news", state);
 * ChannelState again = store.load("news");
 * }</pre>
 */
public final class FileChannelStateStore implements ChannelStateStore {
  private static final String VERSION = "1";
  private final Path directory;
  private final boolean sync;

  private FileChannelStateStore(Path directory, boolean sync) {
    this.directory = directory;
    this.sync = sync;
  }

  /** A store in {@code directory} (created on the first save), durable across power cuts. */
  public static FileChannelStateStore in(Path directory) {
    return new FileChannelStateStore(Objects.requireNonNull(directory, "directory"), true);
  }

  /** This store without the two {@code fsync}s per save: still atomic, but not durable across a power cut. */
  public FileChannelStateStore withoutSync() {
    return new FileChannelStateStore(directory, false);
  }

  /** The file of {@code channel}. */
  public Path file(String channel) {
    Preconditions.requireArgument(channel.matches("[A-Za-z0-9_-]{1,64}"), "bad channel name %s", channel);
    return directory.resolve(channel + ".state");
  }

  @Override
  public ChannelState load(String channel) throws IOException {
    Path file = file(channel);
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return null;
    }
    try {
      return parse(new StringReader(text));
    } catch (IllegalArgumentException | DateTimeParseException e) {
      throw new IOException("corrupt channel state " + file + ": " + e.getMessage(), e);
    }
  }

  @Override
  public synchronized void save(String channel, ChannelState state) throws IOException {
    Path file = file(channel);
    Files.createDirectories(directory);
    Path temp = directory.resolve("." + channel + ".state.tmp");
    byte[] bytes = format(state).getBytes(StandardCharsets.UTF_8);
    try (FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      ByteBuffer buffer = ByteBuffer.wrap(bytes);
      while (buffer.hasRemaining()) {
        out.write(buffer);
      }
      if (sync) {
        out.force(true);
      }
    }
    try {
      Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
    }
    if (sync) {
      syncDirectory();
    }
  }

  /** Forces the directory entry of the rename (POSIX: fsync on the directory); not possible on every OS. */
  private void syncDirectory() {
    try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
      dir.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      // Windows cannot open a directory as a channel; its rename is durable with the file's own flush
    }
  }

  static String format(ChannelState state) throws IOException {
    Properties p = new Properties();
    p.setProperty("version", VERSION);
    p.setProperty("nextMediaSequence", Long.toString(state.nextMediaSequence()));
    p.setProperty("discontinuityCount", Long.toString(state.discontinuityCount()));
    if (state.lastSegmentEnd() != null) {
      p.setProperty("lastSegmentEnd", state.lastSegmentEnd().toString());
    }
    p.setProperty("renditions", Integer.toString(state.renditions().size()));
    int r = 0;
    for (Map.Entry<String, List<RetainedSegment>> e : new java.util.TreeMap<>(state.renditions()).entrySet()) {
      p.setProperty("r." + r + ".dir", e.getKey());
      p.setProperty("r." + r + ".count", Integer.toString(e.getValue().size()));
      p.setProperty("r." + r + ".expiring", String.join("|", state.expiring().getOrDefault(e.getKey(),
          List.of())));
      int m = 0;
      List<HlsKey> keys = new ArrayList<>();
      for (RetainedSegment s : e.getValue()) {
        String keyIndex = "";
        if (s.key() != null) {
          int k = keys.indexOf(s.key());
          if (k < 0) {
            k = keys.size();
            keys.add(s.key());
            putKey(p, "r." + r + ".k." + k, s.key());
          }
          keyIndex = Integer.toString(k);
        }
        p.setProperty("r." + r + ".s." + m++, s.sequence() + "|" + s.uri() + "|" + s.duration90k() + "|"
            + (s.programDateTime() == null ? "" : s.programDateTime().toString()) + "|"
            + (s.discontinuity() ? 1 : 0) + "|" + s.discontinuitySequence() + "|" + s.bytes() + "|" + keyIndex
            + (s.initUri() == null ? "" : "|" + s.initUri()));
      }
      r++;
    }
    StringWriter out = new StringWriter();
    p.store(out, "iptv channel state");
    return out.toString();
  }

  static ChannelState parse(Reader in) throws IOException {
    Properties p = new Properties();
    p.load(in);
    Preconditions.requireArgument(VERSION.equals(p.getProperty("version")), "unknown version %s",
        p.getProperty("version"));
    String end = p.getProperty("lastSegmentEnd");
    int count = integer(p, "renditions");
    Map<String, List<RetainedSegment>> renditions = new LinkedHashMap<>();
    Map<String, List<String>> expiring = new LinkedHashMap<>();
    for (int r = 0; r < count; r++) {
      String dir = required(p, "r." + r + ".dir");
      int n = integer(p, "r." + r + ".count");
      List<RetainedSegment> segments = new ArrayList<>(n);
      for (int m = 0; m < n; m++) {
        String[] f = required(p, "r." + r + ".s." + m).split("\\|", -1);
        Preconditions.requireArgument(f.length == 8 || f.length == 9, "segment entry r.%s.s.%s has %s fields", r,
            m, f.length);
        HlsKey key = f[7].isEmpty() ? null : key(p, "r." + r + ".k." + Integer.parseInt(f[7]));
        segments.add(new RetainedSegment(Long.parseLong(f[0]), f[1], Long.parseLong(f[2]),
            f[3].isEmpty() ? null : OffsetDateTime.parse(f[3]), f[4].equals("1"), Long.parseLong(f[5]),
            Long.parseLong(f[6]), key, f.length == 9 ? f[8] : null));
      }
      renditions.put(dir, segments);
      String names = p.getProperty("r." + r + ".expiring", "");
      List<String> pending = names.isEmpty() ? List.of() : List.of(names.split("\\|"));
      for (String name : pending) {
        Preconditions.requireArgument(name.matches("[A-Za-z0-9._-]+"), "bad segment name %s", name);
      }
      expiring.put(dir, pending);
    }
    return new ChannelState(Long.parseLong(required(p, "nextMediaSequence")),
        Long.parseLong(required(p, "discontinuityCount")), end == null ? null : Instant.parse(end), renditions,
        expiring);
  }

  private static void putKey(Properties p, String prefix, HlsKey key) {
    p.setProperty(prefix + ".method", key.method());
    p.setProperty(prefix + ".uri", key.uri());
    if (key.iv() != null) {
      p.setProperty(prefix + ".iv", key.iv());
    }
    if (key.keyFormat() != null) {
      p.setProperty(prefix + ".format", key.keyFormat());
    }
    if (key.keyFormatVersions() != null) {
      p.setProperty(prefix + ".versions", key.keyFormatVersions());
    }
  }

  private static HlsKey key(Properties p, String prefix) {
    return new HlsKey(required(p, prefix + ".method"), required(p, prefix + ".uri"), p.getProperty(prefix + ".iv"),
        p.getProperty(prefix + ".format"), p.getProperty(prefix + ".versions"));
  }

  private static String required(Properties p, String key) {
    String v = p.getProperty(key);
    Preconditions.requireArgument(v != null, "missing %s", key);
    return v;
  }

  private static int integer(Properties p, String key) {
    int v = Integer.parseInt(required(p, key));
    Preconditions.requireArgument(v >= 0 && v <= 1_000_000, "%s out of range: %s", key, v);
    return v;
  }
}
