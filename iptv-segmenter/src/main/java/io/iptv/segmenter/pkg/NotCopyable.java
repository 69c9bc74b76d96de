package io.iptv.segmenter.pkg;

/**
 * An input does not qualify for a copy path of {@link HlsFilePackager} ({@link TsPacketCopier}, {@link
 * Mp4SampleCopier}): the segments would differ from what demuxing and muxing write. The message says why; the
 * file packager then packages the input the full way. No stack trace (it is control flow, caught in one place).
 * Thread-safe (immutable).
 */
final class NotCopyable extends RuntimeException {
  NotCopyable(String why) {
    super(why, null, false, false);
  }
}
