package io.iptv.segmenter.fmp4;

/**
 * What the samples given to a {@link CmafSegmentWriter} (and its {@link FragmentWriter}) hold, and so how their
 * bytes reach the {@code mdat}.
 *
 * <p>{@link #ELEMENTARY_STREAM} is what every demuxer emits; the other two serve the file packager's sample-copy
 * path, whose samples come from an MP4 file that already holds each sample in the form a segment needs (4-byte NAL
 * lengths, raw AAC, Dolby sync frames; see {@code Mp4SampleCopier}).
 *
 * <pre>{@code
 * CmafSegmentWriter writer = CmafSegmentWriter.builder(track).sampleData(SampleData.MP4_FORM).build();
 * }</pre>
 */
public enum SampleData {
  /**
   * Elementary-stream payloads (Annex B video, ADTS or raw audio frames): converted to MP4 form as they are
   * written, access unit delimiters and parameter sets equal to the sample entry's left out. The default.
   */
  ELEMENTARY_STREAM,
  /**
   * Payloads already in the MP4 form the segment holds (as copied from an MP4 file, without access unit
   * delimiters or parameter sets equal to the sample entry's): written as they are, or encrypted as they are.
   */
  MP4_FORM,
  /**
   * Payloads that only stand for MP4-form bytes of the same length (their content is not read): each clear
   * fragment ends with the {@code mdat} header, and the caller appends the samples' bytes in order (copied
   * from the source file). Clear segments of one fragment only.
   */
  EXTERNAL
}
