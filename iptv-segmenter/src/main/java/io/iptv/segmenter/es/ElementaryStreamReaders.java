package io.iptv.segmenter.es;

import io.iptv.core.time.PtsUnwrapper;

/** The built-in elementary-stream readers. */
public final class ElementaryStreamReaders {
  private ElementaryStreamReaders() {}

  /** The default {@link ElementaryStreamReaderFactory}: a reader per supported {@link EsInfo#codec()}, else null. */
  public static ElementaryStreamReader create(EsInfo info, PtsUnwrapper programClock) {
    return null; // placeholder: replaced by the ES readers
  }
}
