package io.iptv.segmenter.pkg;

/**
 * The container of packaged media segments.
 *
 * <ul>
 *   <li>{@link #TS}: MPEG-TS segments (RFC 8216 §3.2); audio muxed with video when there is one audio track.</li>
 *   <li>{@link #FMP4}: CMAF / fragmented MP4 (RFC 8216 §3.3): an {@code init.mp4} per rendition listed with
 *       {@code EXT-X-MAP} (plus {@code init-N.mp4} from segment N on when a new period brings other
 *       parameter sets, see {@link HlsPackager}), {@code .m4s} segments; every track is its own rendition (a
 *       CMAF track file), so audio always goes into an {@code EXT-X-MEDIA} group. The same segments serve HLS
 *       and DASH.</li>
 * </ul>
 */
public enum SegmentFormat {
  /** MPEG-TS. */
  TS("seg-$Number%05d$.ts"),
  /** Fragmented MP4 / CMAF. */
  FMP4("seg-$Number%05d$.m4s");

  /** File name of the fMP4 initialization segment in each rendition directory. */
  public static final String INIT_SEGMENT_NAME = "init.mp4";

  private final String defaultTemplate;

  SegmentFormat(String defaultTemplate) {
    this.defaultTemplate = defaultTemplate;
  }

  /** The default segment name template for this format. */
  public String defaultSegmentNameTemplate() {
    return defaultTemplate;
  }
}
