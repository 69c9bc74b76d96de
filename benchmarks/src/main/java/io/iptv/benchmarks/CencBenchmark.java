package io.iptv.benchmarks;

import io.iptv.core.MediaException;
import io.iptv.core.io.ByteSlice;
import io.iptv.core.media.Codec;
import io.iptv.core.media.TrackFormat;
import io.iptv.core.media.TrackType;
import io.iptv.core.pipeline.SampleEncryptionScheme;
import io.iptv.core.pipeline.SegmentContext;
import io.iptv.core.pipeline.SegmentSampleEncryptor;
import io.iptv.drm.CencSampleEncryption;
import io.iptv.drm.ContentKey;
import io.iptv.drm.KeyProvider;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * ISO Common Encryption throughput on the samples of one packaged video segment in memory (2 s of 8 Mbit/s
 * H.264 as fMP4 stores it: 50 access units with 4-byte NAL lengths, an SEI and a slice each, one large IDR):
 * the library's {@link CencSampleEncryption} per sample ({@code cenc}: subsample layout + AES-CTR; {@code cbcs}:
 * subsample layout + AES-CBC 1:9 pattern) against raw JDK {@code AES/CTR/NoPadding} and {@code AES/CBC/NoPadding}
 * over the same bytes, in the same run ({@code impl} = {@code cenc} | {@code cbcs} | {@code jdk-ctr} |
 * {@code jdk-cbc}). The {@code bytes} counter reports bytes/s (MB/s = bytes/s / 10^6). {@code cbcs} encrypts
 * about a tenth of the video bytes, so it may beat raw CBC; {@code jdk-cbc} is the cost of encrypting everything.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar CencBenchmark
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 8, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class CencBenchmark {
  private static final int CHUNK = 256 * 1024;
  private static final TrackFormat VIDEO = TrackFormat.builder(1, Codec.H264).type(TrackType.VIDEO).build();

  /** {@code cenc}, {@code cbcs} (library), {@code jdk-ctr} or {@code jdk-cbc} (raw Cipher). */
  @Param({"cenc", "cbcs", "jdk-ctr", "jdk-cbc"})
  public String impl;

  private final List<ByteSlice> samples = new ArrayList<>();
  private byte[] all;
  private byte[] out;
  private int segmentBytes;
  private CencSampleEncryption encryption;
  private Cipher cipher;
  private SecretKeySpec key;
  private long sequence;

  /** Bytes encrypted, reported by JMH as a rate (bytes/s). */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  public static class Bytes {
    /** Bytes encrypted so far in this iteration. */
    public long bytes;

    /** Clears the counter before each iteration. */
    @Setup(Level.Iteration)
    public void reset() {
      bytes = 0;
    }
  }

  /** Random slice data (AES speed does not depend on content) in realistic NAL unit layout. */
  @Setup(Level.Trial)
  public void setUp() throws GeneralSecurityException {
    Random random = new Random(1);
    ByteArrayOutputStream concatenated = new ByteArrayOutputStream();
    for (int i = 0; i < 50; i++) {
      int sliceBytes = i == 0 ? 400_000 : 30_000 + random.nextInt(10_000);
      ByteArrayOutputStream au = new ByteArrayOutputStream();
      au.writeBytes(nal(0x06, 20, random)); // SEI
      au.writeBytes(nal(i == 0 ? 0x65 : 0x41, sliceBytes, random)); // IDR or non-IDR slice
      byte[] sample = au.toByteArray();
      samples.add(ByteSlice.wrap(sample));
      concatenated.writeBytes(sample);
    }
    all = concatenated.toByteArray();
    segmentBytes = all.length;
    out = new byte[segmentBytes + 16];
    ContentKey contentKey = ContentKey.parse("0123456789abcdef0123456789abcdef:3c1f0e2d4b5a69788796a5b4c3d2e1f0");
    key = contentKey.secretKey();
    SampleEncryptionScheme scheme = impl.equals("cbcs") ? SampleEncryptionScheme.CBCS : SampleEncryptionScheme.CENC;
    encryption = CencSampleEncryption.builder(KeyProvider.fixed(contentKey)).scheme(scheme).channel("bench").build();
    cipher = Cipher.getInstance(impl.equals("jdk-cbc") ? "AES/CBC/NoPadding" : "AES/CTR/NoPadding");
  }

  private static byte[] nal(int header, int size, Random random) {
    byte[] nal = new byte[size];
    random.nextBytes(nal);
    nal[0] = (byte) header;
    return ByteBuffer.allocate(4 + size).putInt(size).put(nal).array();
  }

  /** Encrypts one segment's samples. */
  @Benchmark
  public Object encrypt(Bytes counter) throws MediaException, GeneralSecurityException {
    counter.bytes += segmentBytes;
    long s = sequence++;
    if (impl.equals("cenc") || impl.equals("cbcs")) {
      SegmentSampleEncryptor e = encryption.forSegment(new SegmentContext("stream", s, Set.of(TrackType.VIDEO)));
      Object last = null;
      for (ByteSlice sample : samples) {
        last = e.encrypt(VIDEO, sample, 4);
      }
      return last;
    }
    byte[] iv = ByteBuffer.allocate(16).putLong(s).array();
    cipher.init(Cipher.ENCRYPT_MODE, key, new IvParameterSpec(iv));
    int whole = segmentBytes / 16 * 16;
    int offset = 0;
    while (whole - offset > CHUNK) { // 256 KiB calls, as Aes128SegmentBenchmark (the AES intrinsics engage sooner)
      offset += cipher.update(all, offset, CHUNK, out, offset);
    }
    cipher.doFinal(all, offset, whole - offset, out, offset);
    return out;
  }
}
