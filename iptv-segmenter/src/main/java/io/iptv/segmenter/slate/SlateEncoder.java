package io.iptv.segmenter.slate;

import io.iptv.core.internal.Preconditions;
import io.iptv.core.io.ByteSlice;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.jcodec.codecs.h264.H264Encoder;
import org.jcodec.common.VideoEncoder;
import org.jcodec.common.model.ColorSpace;
import org.jcodec.common.model.Picture;
import org.jcodec.common.model.Rect;

/**
 * Encodes the video of a slate once: one closed H.264 GOP (an IDR picture, then P pictures) of a still,
 * text-free pattern of vertical colour bars at a given resolution, with jcodec's baseline encoder. The GOP
 * can be repeated as often as needed: every repetition starts with an IDR, which resets {@code frame_num} and
 * the picture order count (ISO/IEC 14496-10 §8.2.1), so identical bytes decode correctly again.
 *
 * <p>The access units are Annex B byte streams; the IDR carries its SPS and PPS in band. Widths and heights
 * that are not multiples of 16 are coded with frame cropping. Encoding takes a fraction of a second once;
 * the result is immutable and thread-safe.
 *
 * <pre>{@code
 * List<ByteSlice> gop = SlateEncoder.encodeGop(1280, 720, 25);   // 25 access units, the first an IDR
 * }</pre>
 */
public final class SlateEncoder {
  /** Bar colours as Y, Cb, Cr (BT.601, video range): grey, yellow, cyan, green, magenta, red, blue, dark. */
  private static final int[][] BARS = {{126, 128, 128}, {162, 44, 142}, {131, 156, 44}, {112, 72, 58},
      {84, 184, 198}, {65, 100, 212}, {35, 212, 114}, {32, 128, 128}};

  private SlateEncoder() {}

  /**
   * Encodes one GOP of {@code frames} pictures of {@code width × height}.
   *
   * @return the access units in decode (= presentation) order; the first is an IDR with SPS and PPS
   */
  public static List<ByteSlice> encodeGop(int width, int height, int frames) {
    Preconditions.requireArgument(width >= 16 && height >= 16 && width <= 4096 && height <= 2304
        && width % 2 == 0 && height % 2 == 0, "slate size %sx%s out of range", width, height);
    Preconditions.requireArgument(frames >= 1 && frames <= 600, "frames %s out of 1..600", frames);
    int codedWidth = (width + 15) & ~15;
    int codedHeight = (height + 15) & ~15;
    Picture picture = Picture.createCropped(codedWidth, codedHeight, ColorSpace.YUV420J,
        new Rect(0, 0, width, height));
    paintBars(picture, codedWidth, codedHeight);
    H264Encoder encoder = H264Encoder.createH264Encoder();
    encoder.setKeyInterval(frames);
    ByteBuffer buffer = ByteBuffer.allocate(Math.max(1 << 16, encoder.estimateBufferSize(picture)));
    List<ByteSlice> out = new ArrayList<>(frames);
    for (int i = 0; i < frames; i++) {
      buffer.clear();
      VideoEncoder.EncodedFrame frame = encoder.encodeFrame(picture, buffer);
      ByteBuffer data = frame.getData();
      byte[] bytes = new byte[data.remaining()];
      data.get(bytes);
      Preconditions.requireState(i > 0 || frame.isKeyFrame(), "the first slate picture is not an IDR");
      out.add(ByteSlice.wrap(bytes));
    }
    return List.copyOf(out);
  }

  /** Fills the planes with vertical bars; jcodec 8-bit samples are stored minus 128. */
  private static void paintBars(Picture picture, int width, int height) {
    byte[] y = picture.getPlaneData(0);
    byte[] cb = picture.getPlaneData(1);
    byte[] cr = picture.getPlaneData(2);
    for (int row = 0; row < height; row++) {
      for (int col = 0; col < width; col++) {
        y[row * width + col] = (byte) (BARS[col * BARS.length / width][0] - 128);
      }
    }
    int cw = width / 2;
    for (int row = 0; row < height / 2; row++) {
      for (int col = 0; col < cw; col++) {
        int[] bar = BARS[col * BARS.length / cw];
        cb[row * cw + col] = (byte) (bar[1] - 128);
        cr[row * cw + col] = (byte) (bar[2] - 128);
      }
    }
  }
}
