package io.iptv.core.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.iptv.core.MediaException;
import io.iptv.core.io.ByteSlice;
import io.iptv.core.media.Codec;
import io.iptv.core.media.TrackFormat;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The default {@link SegmentSampleEncryptor#encrypt(TrackFormat, byte[], int, int, int, byte[], int)}. */
class SegmentSampleEncryptorTest {
  private static final TrackFormat FORMAT = TrackFormat.builder(1, Codec.AAC).build();

  /** "Encrypts" by adding {@code delta} to every byte and appending {@code extra} bytes. */
  private record Toy(int delta, int extra) implements SegmentSampleEncryptor {
    @Override
    public SampleEncryptionScheme scheme() {
      return SampleEncryptionScheme.CENC;
    }

    @Override
    public byte[] keyId() {
      return new byte[16];
    }

    @Override
    public byte[] constantIv() {
      return null;
    }

    @Override
    public int perSampleIvSize() {
      return 8;
    }

    @Override
    public List<SegmentProtection> protections() {
      return List.of();
    }

    @Override
    public List<ByteSlice> psshBoxes() {
      return List.of();
    }

    @Override
    public EncryptedSample encrypt(TrackFormat format, ByteSlice sample, int nalLengthSize) {
      byte[] out = new byte[sample.length() + extra];
      for (int i = 0; i < sample.length(); i++) {
        out[i] = (byte) (sample.byteAt(i) + delta);
      }
      return new EncryptedSample(ByteSlice.wrap(out), new byte[] {1, 2, 3, 4, 5, 6, 7, 8}, new int[] {2, 3});
    }
  }

  @Test
  void defaultCopiesTheEncryptedSampleIntoTheCallersArray() throws Exception {
    byte[] in = {9, 9, 10, 20, 30, 40, 50, 9};
    byte[] out = new byte[9];
    Arrays.fill(out, (byte) -1);
    EncryptedSample e = new Toy(1, 0).encrypt(FORMAT, in, 2, 5, 0, out, 3);
    assertArrayEquals(new byte[] {-1, -1, -1, 11, 21, 31, 41, 51, -1}, out);
    assertArrayEquals(new byte[] {11, 21, 31, 41, 51}, e.bytes().toByteArray());
    assertArrayEquals(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}, e.iv());
    assertEquals(1, e.subsampleCount());
  }

  @Test
  void defaultRefusesASchemeThatChangesTheLengthAndBadRanges() {
    byte[] in = new byte[8];
    byte[] out = new byte[8];
    MediaException e = assertThrows(MediaException.class, () -> new Toy(1, 16).encrypt(FORMAT, in, 0, 8, 0, out, 0));
    assertEquals(MediaException.Kind.UNSUPPORTED, e.kind());
    assertThrows(IndexOutOfBoundsException.class, () -> new Toy(1, 0).encrypt(FORMAT, in, 4, 8, 0, out, 0));
    assertThrows(IndexOutOfBoundsException.class, () -> new Toy(1, 0).encrypt(FORMAT, in, 0, 8, 0, out, 1));
  }
}
