package io.iptv.segmenter.es;

import io.iptv.core.time.PtsUnwrapper;

/**
 * The built-in elementary-stream readers, chosen by {@link EsInfo#codec()}:
 *
 * <ul>
 *   <li>{@code H264}, {@code H265}: Annex B access units (H264Reader, H265Reader)
 *   <li>{@code MPEG2_VIDEO}: one sample per picture (Mpeg2VideoReader)
 *   <li>{@code AAC}: one sample per ADTS frame (AdtsReader)
 *   <li>{@code AC3}, {@code EAC3}: one sample per syncframe, E-AC-3 dependent substreams joined to their
 *       independent frame (Ac3Reader)
 *   <li>{@code MPEG_AUDIO}, {@code MP3}: one sample per MPEG audio frame (MpegAudioReader)
 *   <li>{@code ID3}: timed metadata (Id3Reader); {@code SCTE35}: splice cues from sections (Scte35Reader)
 * </ul>
 *
 * <p>Stateless and thread-safe; each reader it returns is not.
 *
 * <pre>{@code
 * ElementaryStreamReader reader = ElementaryStreamReaders.create(info, programClock);
 * if (reader == null) { skip(info.pid()); }
 * }</pre>
 */
public final class ElementaryStreamReaders {
  private ElementaryStreamReaders() {}

  /** The default {@link ElementaryStreamReaderFactory}: a reader per supported {@link EsInfo#codec()}, else null. */
  public static ElementaryStreamReader create(EsInfo info, PtsUnwrapper programClock) {
    return create(info, programClock, null);
  }

  /**
   * The built-in readers, the video ones ({@code H264}, {@code H265}, {@code MPEG2_VIDEO}) lending their access
   * units from {@code pool}'s blocks: whoever consumes the samples {@linkplain SampleBufferPool#release releases}
   * each one's data when done with it, and the blocks are reused. Other readers are as {@link #create}.
   */
  public static ElementaryStreamReaderFactory factory(SampleBufferPool pool) {
    java.util.Objects.requireNonNull(pool, "pool");
    return (info, programClock) -> create(info, programClock, pool);
  }

  private static ElementaryStreamReader create(EsInfo info, PtsUnwrapper programClock, SampleBufferPool pool) {
    return switch (info.codec()) {
      case H264 -> new H264Reader(info, pool);
      case H265 -> new H265Reader(info, pool);
      case MPEG2_VIDEO -> new Mpeg2VideoReader(info, pool);
      case AAC -> new AdtsReader(info);
      case AC3, EAC3 -> new Ac3Reader(info);
      case MPEG_AUDIO, MP3 -> new MpegAudioReader(info);
      case ID3 -> new Id3Reader(info);
      case SCTE35 -> new Scte35Reader(info, programClock);
      case UNKNOWN -> null;
    };
  }
}
