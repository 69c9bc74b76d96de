package io.iptv.examples.cli;

import io.iptv.core.pipeline.SampleEncryption;
import io.iptv.core.pipeline.SampleEncryptionScheme;
import io.iptv.drm.Aes128SegmentEncryptor;
import io.iptv.drm.CencSampleEncryption;
import io.iptv.drm.ContentKey;
import io.iptv.drm.DrmSignalling;
import io.iptv.drm.DrmSystem;
import io.iptv.drm.IvPolicy;
import io.iptv.drm.KeyProvider;
import io.iptv.drm.KeyRotation;
import io.iptv.drm.SampleAesEncryption;
import io.iptv.segmenter.input.MediaInputs;
import io.iptv.segmenter.pkg.AdMarkerStyle;
import io.iptv.segmenter.pkg.HlsFilePackager;
import io.iptv.segmenter.pkg.HlsPlaylistType;
import io.iptv.segmenter.pkg.SegmentFormat;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code iptv package --input FILE [--input FILE2 …] --output DIR}: packages files as HLS (MPEG-TS segments).
 * Several inputs are renditions of one content (ABR ladder) and must have aligned keyframes. Output appears
 * in DIR only when everything succeeded.
 *
 * <p><b>Existing output.</b> DIR must not exist or be an empty directory: a non-empty DIR is refused (exit
 * 2) before anything is read or written, so a typo never mixes two packages or deletes someone's files.
 * Replacing a non-empty directory atomically is not possible with one {@code rename(2)}, and a "delete then
 * move" would leave a window with no output; remove the old directory first instead.
 *
 * <p><b>Output.</b> On success one summary line on standard output; {@code --quiet} prints nothing at all
 * on success (no summary, no progress bar), which suits scripts that only look at the exit code. Errors are
 * always one line on standard error (exit 2 for bad input, see {@link IptvCommand}). The progress bar goes
 * to standard error, and only when a console is attached.
 *
 * <p>{@code --format ts|fmp4}, {@code --dash} and {@code --iframes} select the writer, not the input side.
 *
 * <p><b>Packet copy.</b> A clean single-program MPEG-TS packaged into VOD TS segments (no SAMPLE-AES, no I-frame
 * playlists) is cut by copying its packets ({@code --packet-copy}, the default; see
 * {@code HlsFilePackager.Builder#packetCopy}): the same segments and playlists, in about 0.6 of the time of muxing
 * them (1 GB: 1.1–1.2 s against 1.8–1.9 s here). Likewise an MP4 packaged into VOD fMP4 segments ({@code
 * --format fmp4}, with or without {@code --dash}) gets its samples' bytes copied from the file after the boxes the
 * packager writes, or with {@code --encryption cenc|cbcs} read from the file as they are and encrypted: byte for
 * byte the muxed output. Anything else, or {@code --no-packet-copy}, is demuxed and muxed.
 *
 * <p><b>Writing.</b> Files are written with direct I/O by default ({@code --direct-io}, {@code O_DIRECT}: no copy
 * into the page cache, which for a VOD package that is not read back soon saves most of the kernel time of
 * writing and does not evict other cached data); {@code --no-direct-io} writes through the page cache, for output
 * that is read back right away. Where the file system refuses direct I/O, the files are written buffered.
 * Clear packet-copied segments (above) are copied within the kernel through the page cache instead.
 *
 * <p><b>SCTE-35</b> ({@code --ad-markers daterange,cue|none}, default {@code daterange}): ad breaks of an MPEG-TS
 * input start and end segments at their splice points and are signalled as EXT-X-DATERANGE (SCTE35-OUT/IN/CMD,
 * with EXT-X-PROGRAM-DATE-TIME), EXT-X-CUE-OUT/-CONT/-IN, and with {@code --dash} as a SCTE-35 EventStream.
 *
 * <p><b>Encryption</b> ({@code --encryption aes-128}): whole-segment AES-128 (RFC 8216 §4.3.2.4) with keys from
 * {@code --key KID:KEY} (repeat for rotation) or derived from {@code --key-seed} (HKDF-SHA256 over the seed,
 * the channel name and the crypto period, so a key server holding the seed recomputes every key). Playlists
 * reference {@code ../keys/<kid>.key}, i.e. {@code /{channel}/keys/<kid>.key} on the origin, where a key
 * delivery handler answers after authorisation. Key files are <em>not</em> written by default: whoever can read
 * the output directory (a CDN origin bucket, a static web server, a backup) could otherwise fetch the keys
 * next to the content they protect, which defeats the encryption. {@code --write-keys} writes them to
 * {@code DIR/keys/} for tests, local playback and demos only. {@code --defer-encryption} writes the same
 * playlists with clear segments, for an origin that encrypts after its cache ({@code EncryptAfterCacheLoader}).
 *
 * <p>{@code --encryption sample-aes} takes the same key options but encrypts samples (Apple SAMPLE-AES: H.264
 * slices, AAC and AC-3 frames, signalled in the PMT) with {@code EXT-X-KEY:METHOD=SAMPLE-AES} and an explicit
 * IV per key; MPEG-TS only ({@code --format ts}), without {@code --iframes}.
 *
 * <p><b>DRM signalling</b> ({@code --drm clearkey,widevine,playready,fairplay}): which DRM systems the sample
 * encryption schemes (cenc, cbcs, SAMPLE-AES) signal, as {@code EXT-X-KEY} lines and {@code pssh} boxes
 * ({@link DrmSignalling}); an unknown name, a repeated one, or a system that cannot carry the scheme is refused
 * (exit 2). Whole-segment AES-128 signals no DRM system.
 *
 * <p>{@code --encryption cenc|cbcs} (needs {@code --format fmp4}): ISO Common Encryption of the samples
 * (ISO/IEC 23001-7), with the same key options ({@code --key}, {@code --key-seed}, {@code --rotate-every},
 * {@code --clear-lead}; no {@code --iv}: IVs derive from the key). Playlists carry {@code METHOD=SAMPLE-AES-CTR}
 * ({@code cenc}) or {@code SAMPLE-AES} ({@code cbcs}) twice: {@code KEYFORMAT="identity"} with the key URI and
 * {@code KEYFORMAT="org.w3.clearkey"} with the KID (hls.js); init segments carry the W3C Common PSSH box (with
 * {@code --rotate-every}: every fragment carries its own instead), and {@code --dash} signals
 * {@code ContentProtection}.
 */
@Command(name = "package", mixinStandardHelpOptions = true,
    description = "Package media files as HLS (MPEG-TS or fMP4 segments, optionally DASH too): DIR/master.m3u8,"
        + " one directory per rendition.")
final class PackageCommand implements Callable<Integer> {
  @Option(names = "--input", required = true, paramLabel = "FILE",
      description = "Input file (MPEG-TS or MP4); repeat for ABR renditions of the same content.")
  List<Path> inputs;

  @Option(names = "--output", required = true, paramLabel = "DIR", description = "Output directory.")
  Path output;

  @Option(names = "--segment-duration", paramLabel = "SECONDS", defaultValue = "6",
      description = "Target segment duration in seconds (default ${DEFAULT-VALUE}).")
  double segmentSeconds;

  @Option(names = "--playlist-type", paramLabel = "vod|event", defaultValue = "vod",
      description = "Media playlist type: vod (default) or event.")
  String playlistType;

  @Option(names = "--program", paramLabel = "N", defaultValue = "0",
      description = "MPEG-TS program number (default: the first with video).")
  int program;

  @Option(names = "--encryption", paramLabel = "none|aes-128|sample-aes|cenc|cbcs", defaultValue = "none",
      description = "Encryption: none (default), aes-128 (whole segment, AES-CBC, RFC 8216), sample-aes (Apple"
          + " SAMPLE-AES of H.264/AAC/AC-3 samples; --format ts only), or ISO Common Encryption of fMP4 samples:"
          + " cenc (AES-CTR) or cbcs (AES-CBC 1:9 pattern); cenc/cbcs need --format fmp4.")
  String encryption;

  @Option(names = "--key", paramLabel = "KID_HEX:KEY_HEX",
      description = "A content key (32 hex digits each); repeat for rotation (used in turn per period).")
  List<String> keys = new ArrayList<>();

  /** Every key used, in first-use order, for {@code --write-keys} (the encryptor itself keeps only recent ones). */
  private final Set<ContentKey> issuedKeys = new LinkedHashSet<>();

  @Option(names = "--key-seed", paramLabel = "HEX",
      description = "Master secret (at least 32 hex digits) to derive keys with HKDF-SHA256 instead of --key.")
  String keySeed;

  @Option(names = "--iv", paramLabel = "HEX",
      description = "A constant IV (32 hex digits) written as IV=0x...; default: the media sequence number.")
  String iv;

  @Option(names = "--rotate-every", paramLabel = "N", defaultValue = "0",
      description = "New key every N segments (default 0: one key).")
  int rotateEvery;

  @Option(names = "--clear-lead", paramLabel = "N", defaultValue = "0",
      description = "Leave the first N segments unencrypted (default 0).")
  int clearLead;

  @Option(names = "--channel", paramLabel = "NAME",
      description = "Channel (content id) for derived keys and key URLs /NAME/keys/...; default: DIR's name.")
  String channel;

  @Option(names = "--write-keys",
      description = "Also write the keys to DIR/keys/<kid>.key (tests and demos only: anyone who can read DIR"
          + " then has the keys).")
  boolean writeKeys;

  @Option(names = "--defer-encryption",
      description = "With --encryption aes-128: write the EXT-X-KEY signalling but leave the segments clear, for"
          + " an origin that encrypts each response after its cache (EncryptAfterCacheLoader). Never serve DIR"
          + " without it.")
  boolean deferEncryption;

  @Option(names = "--format", paramLabel = "ts|fmp4", defaultValue = "ts",
      description = "Segment format: ts (default) or fmp4 (CMAF, init.mp4 + .m4s, audio as separate renditions).")
  String format;

  @Option(names = "--dash", description = "Also write DIR/manifest.mpd (DASH) over the same segments; needs"
      + " --format fmp4.")
  boolean dash;

  @Option(names = "--iframes", description = "Also write an I-frame-only playlist (iframes.m3u8) per video"
      + " rendition, listed as EXT-X-I-FRAME-STREAM-INF in master.m3u8 (trick play).")
  boolean iFrames;

  @Option(names = "--drm", split = ",", paramLabel = "SYSTEM",
      description = "DRM systems to signal with sample encryption: clearkey, widevine, playready, fairplay"
          + " (comma-separated or repeated).")
  List<String> drm = new ArrayList<>();

  @Option(names = "--ad-markers", paramLabel = "daterange,cue|none", defaultValue = "daterange",
      description = "SCTE-35 ad break signalling: daterange (EXT-X-DATERANGE, default), cue (EXT-X-CUE-OUT/IN),"
          + " both (daterange,cue) or none (ignore SCTE-35).")
  String adMarkers;

  @Option(names = "--direct-io", negatable = true, defaultValue = "true", fallbackValue = "true",
      description = "Write the output with direct I/O (O_DIRECT; default; not clear packet-copied segments), bypassing"
          + " the page cache: less CPU, and"
          + " a large job does not evict cached data; buffered where the file system refuses it. --no-direct-io"
          + " writes through the page cache (output read back right away).")
  boolean directIo;

  @Option(names = "--packet-copy", negatable = true, defaultValue = "true", fallbackValue = "true",
      description = "Cut clean single-program TS input into TS segments by copying its packets, and copy MP4"
          + " samples into fMP4 segments, clear or cenc/cbcs (default): same segments and playlists as demuxing and"
          + " muxing, at about the speed of a file copy; other input is muxed. --no-packet-copy always demuxes and muxes"
          + " (e.g. to drop a TS source's null packets and SI).")
  boolean packetCopy;

  @Option(names = "--quiet", description = "Print nothing on success (no progress bar, no summary line).")
  boolean quiet;

  @Spec
  CommandSpec spec;

  /** Standard output and error when run without picocli ({@link QuickPackageArgs}); unused under picocli. */
  PrintWriter directOut;
  PrintWriter directErr;

  /** Parses {@code --ad-markers}: a comma-separated list of daterange and cue, or none. */
  static EnumSet<AdMarkerStyle> adMarkerStyles(String value) throws BadInputException {
    EnumSet<AdMarkerStyle> styles = EnumSet.noneOf(AdMarkerStyle.class);
    if (value.strip().equalsIgnoreCase("none")) {
      return styles;
    }
    for (String part : value.split(",")) {
      switch (part.strip().toLowerCase(Locale.ROOT)) {
        case "daterange" -> styles.add(AdMarkerStyle.DATERANGE);
        case "cue" -> styles.add(AdMarkerStyle.CUE);
        default -> throw new BadInputException("--ad-markers takes daterange, cue, both (daterange,cue) or none,"
            + " not " + value);
      }
    }
    return styles;
  }

  @Override
  public Integer call() throws Exception {
    for (Path input : inputs) {
      if (!Files.isRegularFile(input)) {
        throw new BadInputException("no such file: " + input);
      }
      if (MediaInputs.detect(input) == MediaInputs.Container.UNKNOWN) {
        throw new BadInputException("not an MPEG-TS or MP4 file: " + input);
      }
    }
    if (Files.exists(output) && !isEmptyDirectory(output)) {
      throw new BadInputException("--output " + output + " already exists and is not an empty directory;"
          + " remove it or choose another");
    }
    if (!(segmentSeconds >= 0.1 && segmentSeconds <= 60)) {
      throw new BadInputException("--segment-duration must be between 0.1 and 60 seconds");
    }
    HlsPlaylistType type = switch (playlistType.toLowerCase(Locale.ROOT)) {
      case "vod" -> HlsPlaylistType.VOD;
      case "event" -> HlsPlaylistType.EVENT;
      default -> throw new BadInputException("--playlist-type must be vod or event, not " + playlistType);
    };
    SegmentFormat segmentFormat = switch (format.toLowerCase(Locale.ROOT)) {
      case "ts" -> SegmentFormat.TS;
      case "fmp4", "cmaf" -> SegmentFormat.FMP4;
      default -> throw new BadInputException("--format must be ts or fmp4, not " + format);
    };
    if (dash && segmentFormat != SegmentFormat.FMP4) {
      throw new BadInputException("--dash needs --format fmp4");
    }
    if (program < 0 || program > 0xFFFF) {
      throw new BadInputException("--program must be 0..65535");
    }
    EnumSet<AdMarkerStyle> markerStyles = adMarkerStyles(adMarkers);
    String mode = encryptionMode();
    boolean sampleAes = mode.equals("sample-aes");
    boolean isoCenc = mode.equals("cenc") || mode.equals("cbcs");
    if (sampleAes && segmentFormat != SegmentFormat.TS) {
      throw new BadInputException("--encryption sample-aes needs --format ts (SAMPLE-AES is defined for MPEG-TS)");
    }
    if (isoCenc && segmentFormat != SegmentFormat.FMP4) {
      throw new BadInputException("--encryption " + mode + " needs --format fmp4");
    }
    if ((sampleAes || isoCenc) && iFrames) {
      throw new BadInputException("--iframes cannot be combined with --encryption " + mode + " yet");
    }
    List<DrmSystem> drmSystems = drmSystems();
    if (!drmSystems.isEmpty() && !sampleAes && !isoCenc) {
      throw new BadInputException("--drm needs sample encryption (cenc, cbcs or SAMPLE-AES);"
          + " --encryption " + encryption + " signals no DRM system");
    }
    Aes128SegmentEncryptor encryptor = null;
    SampleEncryption sampleEncryption = null;
    if (deferEncryption && !mode.equals("aes-128")) {
      throw new BadInputException("--defer-encryption needs --encryption aes-128");
    }
    if (mode.equals("aes-128")) {
      encryptor = Aes128SegmentEncryptor.builder(keyProvider()).channel(channelName()).rotation(rotation())
          .onKeyIssued(issuedKeys::add).deferredEncryption(deferEncryption).build();
    } else if (sampleAes) {
      SampleAesEncryption.Builder b = SampleAesEncryption.builder(keyProvider()).channel(channelName())
          .rotation(rotation()).onKeyIssued(issuedKeys::add);
      DrmSignalling signalling = drmSignalling(SampleEncryptionScheme.SAMPLE_AES);
      if (signalling != null) {
        b.signalling(signalling);
      }
      sampleEncryption = b.build();
    } else if (isoCenc) {
      SampleEncryptionScheme scheme = mode.equals("cbcs") ? SampleEncryptionScheme.CBCS : SampleEncryptionScheme.CENC;
      CencSampleEncryption.Builder b = CencSampleEncryption.builder(keyProvider()).scheme(scheme)
          .channel(channelName()).rotation(rotation()).onKeyIssued(issuedKeys::add);
      DrmSignalling signalling = drmSignalling(scheme);
      if (signalling == null) {
        b.clearKeyFormat(true).commonPssh(true); // identity (Shaka) + org.w3.clearkey (hls.js) + Common PSSH
      } else {
        b.identityKeyFormat(false) // DrmSignalling writes the identity line itself for --drm clearkey
            .extraProtections(kid -> signalling.protections(scheme, kid, "keys/" + kid.toHex() + ".key", null))
            .psshBoxes(kid -> signalling.psshBoxes(scheme, kid));
      }
      sampleEncryption = b.build();
    }
    if (encryptor != null && dash) {
      throw new BadInputException("--dash cannot signal whole-segment AES-128 (DASH players cannot decrypt it);"
          + " CENC for DASH is not implemented yet");
    }
    if (encryptor != null && iFrames) {
      throw new BadInputException("--iframes addresses byte ranges of clear segments and cannot be combined with"
          + " --encryption aes-128");
    }
    long totalBytes = 0;
    for (Path input : inputs) {
      totalBytes += Files.size(input);
    }
    PrintWriter err = spec != null ? spec.commandLine().getErr() : directErr;
    ProgressBar progress = !quiet && System.console() != null ? new ProgressBar(err, totalBytes) : null;
    long started = System.nanoTime();
    HlsFilePackager.Builder builder = HlsFilePackager.builder()
        .segmentDuration(Duration.ofNanos(Math.round(segmentSeconds * 1e9)))
        .playlistType(type)
        .programNumber(program)
        .segmentFormat(segmentFormat)
        .dash(dash)
        .iFrames(iFrames)
        .adMarkers(markerStyles)
        .directIo(directIo)
        .packetCopy(packetCopy);
    if (progress != null) {
      builder.listener(progress::onSegment);
    }
    if (encryptor != null) {
      builder.segmentTransform(encryptor);
    }
    if (sampleEncryption != null) {
      builder.sampleEncryption(sampleEncryption);
    }
    BatchJit.apply(); // C1 only: C2 compiling the demux/mux loops costs more than it gains in a batch job
    HlsFilePackager.Result result = builder.build().packageFiles(inputs, output);
    if (!mode.equals("none") && writeKeys) {
      Path keyDir = Files.createDirectories(output.resolve("keys"));
      for (ContentKey key : issuedKeys) {
        Files.write(keyDir.resolve(key.keyId().toHex() + ".key"), key.keyBytes());
      }
    }
    if (progress != null) {
      progress.done();
    }
    if (!quiet) {
      double seconds = (System.nanoTime() - started) / 1e9;
      PrintWriter out = spec != null ? spec.commandLine().getOut() : directOut;
      out.printf(Locale.ROOT, "%s: %d segments (%d per rendition), %d variants, %.1f MB in"
              + " %.2f s (%.1f MB/s)%s%n", output.resolve(HlsFilePackager.MULTIVARIANT_NAME), result.segmentCount(),
          result.timings().size(), result.multivariant().variants().size(), totalBytes / 1e6, seconds,
          totalBytes / 1e6 / Math.max(seconds, 1e-9), !result.packetsCopied() ? ""
              : segmentFormat == SegmentFormat.TS ? ", TS packets copied" : ", MP4 samples copied");
      out.flush();
    }
    return 0;
  }

  /** The {@code --drm} systems in the order given (empty without {@code --drm}); exit 2 on a bad name. */
  List<DrmSystem> drmSystems() throws BadInputException {
    List<DrmSystem> systems = new ArrayList<>();
    for (String name : drm) {
      DrmSystem system;
      try {
        system = DrmSystem.parse(name);
      } catch (IllegalArgumentException e) {
        throw new BadInputException("--drm: " + e.getMessage());
      }
      if (systems.contains(system)) {
        throw new BadInputException("--drm names " + name + " twice");
      }
      systems.add(system);
    }
    return systems;
  }

  /**
   * The signalling of the {@code --drm} systems for {@code scheme}, or null without {@code --drm}; exit 2 if a
   * system cannot carry the scheme (Widevine and PlayReady need cenc or cbcs, FairPlay cbcs or SAMPLE-AES).
   */
  DrmSignalling drmSignalling(SampleEncryptionScheme scheme) throws BadInputException {
    List<DrmSystem> systems = drmSystems();
    if (systems.isEmpty()) {
      return null;
    }
    for (DrmSystem system : systems) {
      if (!DrmSignalling.supports(system, scheme)) {
        throw new BadInputException("--drm " + system.name().toLowerCase(Locale.ROOT) + " cannot signal "
            + (scheme.fourcc() != null ? scheme.fourcc() : "SAMPLE-AES") + " encryption");
      }
    }
    return DrmSignalling.builder().systems(systems).build();
  }

  /**
   * The {@code --encryption} mode in lower case; exit 2 on an unknown one, and on key options without
   * encryption.
   */
  private String encryptionMode() throws BadInputException {
    String mode = encryption.toLowerCase(Locale.ROOT);
    if (!List.of("none", "aes-128", "sample-aes", "cenc", "cbcs").contains(mode)) {
      throw new BadInputException("--encryption must be none, aes-128, sample-aes, cenc or cbcs, not " + encryption);
    }
    if (mode.equals("none")
        && (!keys.isEmpty() || keySeed != null || iv != null || rotateEvery != 0 || clearLead != 0 || writeKeys)) {
      throw new BadInputException("--key, --key-seed, --iv, --rotate-every, --clear-lead and --write-keys need"
          + " --encryption aes-128, sample-aes, cenc or cbcs");
    }
    return mode;
  }

  /** The keys of --key (with --iv) or --key-seed. */
  private KeyProvider keyProvider() throws BadInputException {
    if (keys.isEmpty() == (keySeed == null)) {
      throw new BadInputException("--encryption " + encryption.toLowerCase(Locale.ROOT)
          + " needs either --key (repeatable) or --key-seed");
    }
    if (rotateEvery < 0 || clearLead < 0) {
      throw new BadInputException("--rotate-every and --clear-lead must be >= 0");
    }
    String mode = encryption.toLowerCase(Locale.ROOT);
    if ((mode.equals("cenc") || mode.equals("cbcs")) && iv != null) {
      throw new BadInputException("--iv applies to aes-128 and sample-aes; cenc/cbcs derive their IVs from the key");
    }
    IvPolicy ivPolicy = IvPolicy.mediaSequence();
    if (iv != null) {
      String digits = iv.startsWith("0x") || iv.startsWith("0X") ? iv.substring(2) : iv;
      if (!digits.matches("[0-9A-Fa-f]{32}")) {
        throw new BadInputException("--iv must be 32 hex digits");
      }
      if (keySeed != null) {
        throw new BadInputException("--iv applies to --key keys; derived keys use the media sequence number");
      }
      ivPolicy = IvPolicy.explicit(HexFormat.of().parseHex(digits));
    }
    try {
      if (keySeed != null) {
        if (!keySeed.matches("([0-9A-Fa-f]{2}){16,}")) {
          throw new BadInputException("--key-seed must be at least 32 hex digits (an even number)");
        }
        return KeyProvider.derived(HexFormat.of().parseHex(keySeed));
      }
      ContentKey[] parsed = new ContentKey[keys.size()];
      for (int i = 0; i < parsed.length; i++) {
        parsed[i] = ContentKey.parse(keys.get(i)).withIvPolicy(ivPolicy);
      }
      if (rotateEvery > 0 && parsed.length < 2) {
        throw new BadInputException("--rotate-every with --key needs at least two keys (or use --key-seed)");
      }
      return KeyProvider.fixed(parsed);
    } catch (IllegalArgumentException e) {
      throw new BadInputException("bad key: " + e.getMessage()); // messages never contain key bytes
    }
  }

  /** --channel, or the output directory's name. */
  private String channelName() throws BadInputException {
    String name = channel != null ? channel
        : output.toAbsolutePath().normalize().getFileName() != null
            ? output.toAbsolutePath().normalize().getFileName().toString() : "";
    if (!name.matches("[A-Za-z0-9_-]{1,64}")) {
      throw new BadInputException("channel name '" + name + "' is not [A-Za-z0-9_-]{1,64}; set --channel");
    }
    return name;
  }

  private KeyRotation rotation() {
    KeyRotation rotation = rotateEvery > 0 ? KeyRotation.everySegments(rotateEvery) : KeyRotation.none();
    return rotation.withClearLead(clearLead);
  }

  private static boolean isEmptyDirectory(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return false;
    }
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.findAny().isEmpty();
    }
  }

  /** A one-line progress bar with ETA, driven by the bytes written (TS output ≈ input size). */
  static final class ProgressBar {
    private final PrintWriter err;
    private final long totalBytes;
    private final long startNanos = System.nanoTime();
    private long written;
    private long lastDrawNanos;

    ProgressBar(PrintWriter err, long totalBytes) {
      this.err = err;
      this.totalBytes = Math.max(1, totalBytes);
    }

    void onSegment(String name, Duration duration, long bytes) {
      written += bytes;
      long now = System.nanoTime();
      if (now - lastDrawNanos < 100_000_000L) {
        return;
      }
      lastDrawNanos = now;
      draw(Math.min(0.99, (double) written / totalBytes), now);
    }

    void done() {
      draw(1.0, System.nanoTime());
      err.println();
      err.flush();
    }

    private void draw(double fraction, long now) {
      int width = 30;
      int filled = (int) (fraction * width);
      double elapsed = (now - startNanos) / 1e9;
      double eta = fraction > 0 ? elapsed * (1 - fraction) / fraction : 0;
      err.printf(Locale.ROOT, "\r[%s%s] %3d%%  ETA %4.0f s", "#".repeat(filled), " ".repeat(width - filled),
          Math.round(fraction * 100), eta);
      err.flush();
    }
  }
}
