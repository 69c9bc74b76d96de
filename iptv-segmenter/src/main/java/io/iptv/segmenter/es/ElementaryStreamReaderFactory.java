package io.iptv.segmenter.es;

import io.iptv.core.time.PtsUnwrapper;

/**
 * Creates the {@link ElementaryStreamReader} for one elementary stream; plug in to read codecs the library
 * does not know. The default is {@link ElementaryStreamReaders#create}.
 *
 * <pre>{@code
 * ElementaryStreamReaderFactory factory = (info, clock) ->
 *     info.streamType() == 0x99 ? new MyReader(info) : ElementaryStreamReaders.create(info, clock);
 * }</pre>
 */
@FunctionalInterface
public interface ElementaryStreamReaderFactory {
  /**
   * Returns a reader for {@code info}, or {@code null} if the stream is not supported (it is then reported
   * and skipped).
   *
   * @param info what the PMT says about the stream
   * @param programClock the program's timestamp unwrapper, for timestamps carried inside the payload
   *     (SCTE-35 splice times); use {@link PtsUnwrapper#nearest}, which does not move the reference
   */
  ElementaryStreamReader create(EsInfo info, PtsUnwrapper programClock);
}
