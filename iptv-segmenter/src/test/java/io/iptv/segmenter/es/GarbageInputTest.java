package io.iptv.segmenter.es;

import io.iptv.core.MediaException;
import io.iptv.core.io.ByteSlice;
import io.iptv.core.media.Codec;
import io.iptv.core.time.PtsUnwrapper;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Random and sync-word-rich garbage must never make a reader throw anything but {@link MediaException}
 * (checked by the signature: any unchecked exception fails the test) or hold unbounded memory.
 */
class GarbageInputTest {
  @ParameterizedTest
  @EnumSource(value = Codec.class, names = "UNKNOWN", mode = EnumSource.Mode.EXCLUDE)
  void garbageNeverThrowsUnchecked(Codec codec) throws MediaException {
    ElementaryStreamReader reader = ElementaryStreamReaders.create(
        new EsInfo(1, 0x100, 0, codec, null, ByteSlice.empty()), new PtsUnwrapper());
    Random random = new Random(codec.ordinal());
    byte[] sync = {0, 0, 1, 0x09, 0x67, 0x65, 0x42, 0x40, 0x26, (byte) 0xB3, (byte) 0xFF, (byte) 0xF1, 0x0B, 0x77,
        (byte) 0xFC, 'I', 'D', '3', (byte) 0xFB, 0x00};
    long pts = 0;
    for (int round = 0; round < 3000; round++) {
      byte[] data = new byte[random.nextInt(4000)];
      random.nextBytes(data);
      for (int i = 0; i < data.length / 8; i++) {
        int at = random.nextInt(data.length);
        data[at] = sync[random.nextInt(sync.length)];
      }
      pts += random.nextInt(5000);
      reader.consume(data, 0, data.length, random.nextBoolean() ? pts : Long.MIN_VALUE, pts, random.nextBoolean(),
          event -> { });
      if (round % 500 == 0) {
        reader.seek();
      }
    }
    reader.flush(event -> { });
  }
}
