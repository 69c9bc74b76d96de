package io.iptv.segmenter.ts;

import io.iptv.core.io.Crc32Mpeg2;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * Test-side MPEG-TS writer: PAT/PMT sections with real CRCs, PES packets with PTS/DTS, adaptation fields
 * with PCR and flags, and knobs to damage packets. Continuity counters are kept per PID.
 */
final class TsTestStream {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final int[] cc = new int[8192];
  int packetSize = 188;

  /** Options of the next packet(s) written by {@link #packet} or {@link #pes}. */
  static final class Options {
    long pcr27MHz = -1;
    boolean discontinuity;
    boolean randomAccess;
    boolean tei;
    int scrambling;
    boolean bounded = true;
    int ccOverride = -1;

    Options pcr(long pcr90k) {
      pcr27MHz = (pcr90k & ((1L << 33) - 1)) * 300;
      return this;
    }

    Options discontinuity() {
      discontinuity = true;
      return this;
    }

    Options randomAccess() {
      randomAccess = true;
      return this;
    }

    Options tei() {
      tei = true;
      return this;
    }

    Options scrambled() {
      scrambling = 2;
      return this;
    }

    Options unbounded() {
      bounded = false;
      return this;
    }
  }

  static Options opts() {
    return new Options();
  }

  byte[] bytes() {
    return out.toByteArray();
  }

  int size() {
    return out.size();
  }

  TsTestStream raw(byte[] bytes) {
    out.write(bytes, 0, bytes.length);
    return this;
  }

  // ---- PSI

  static byte[] section(int tableId, int idExtension, int version, byte[] body) {
    int sectionLength = 5 + body.length + 4;
    byte[] s = new byte[3 + sectionLength];
    s[0] = (byte) tableId;
    s[1] = (byte) (0xB0 | (sectionLength >> 8));
    s[2] = (byte) sectionLength;
    s[3] = (byte) (idExtension >> 8);
    s[4] = (byte) idExtension;
    s[5] = (byte) (0xC1 | (version << 1));
    s[6] = 0;
    s[7] = 0;
    System.arraycopy(body, 0, s, 8, body.length);
    int crc = Crc32Mpeg2.compute(s, 0, s.length - 4);
    s[s.length - 4] = (byte) (crc >> 24);
    s[s.length - 3] = (byte) (crc >> 16);
    s[s.length - 2] = (byte) (crc >> 8);
    s[s.length - 1] = (byte) crc;
    return s;
  }

  /** A PAT section; {@code programs} holds program_number, PMT PID pairs. */
  static byte[] patSection(int version, int... programs) {
    byte[] body = new byte[programs.length * 2];
    for (int i = 0; i < programs.length; i += 2) {
      body[i * 2] = (byte) (programs[i] >> 8);
      body[i * 2 + 1] = (byte) programs[i];
      body[i * 2 + 2] = (byte) (0xE0 | (programs[i + 1] >> 8));
      body[i * 2 + 3] = (byte) programs[i + 1];
    }
    return section(0x00, 1, version, body);
  }

  /** One elementary stream of a PMT. */
  record Es(int streamType, int pid, byte[] descriptors) {
    Es(int streamType, int pid) {
      this(streamType, pid, new byte[0]);
    }
  }

  static byte[] pmtSection(int programNumber, int version, int pcrPid, byte[] programInfo, Es... streams) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.write(0xE0 | (pcrPid >> 8));
    body.write(pcrPid);
    body.write(0xF0 | (programInfo.length >> 8));
    body.write(programInfo.length);
    body.write(programInfo, 0, programInfo.length);
    for (Es es : streams) {
      body.write(es.streamType());
      body.write(0xE0 | (es.pid() >> 8));
      body.write(es.pid());
      body.write(0xF0 | (es.descriptors().length >> 8));
      body.write(es.descriptors().length);
      body.write(es.descriptors(), 0, es.descriptors().length);
    }
    return section(0x02, programNumber, version, body.toByteArray());
  }

  TsTestStream pat(int... programs) {
    return psi(0, patSection(0, programs));
  }

  TsTestStream pmt(int pmtPid, int programNumber, int pcrPid, Es... streams) {
    return psi(pmtPid, pmtSection(programNumber, 0, pcrPid, new byte[0], streams));
  }

  /** Writes sections back to back in as many packets as needed, with pointer_field and 0xFF stuffing. */
  TsTestStream psi(int pid, byte[]... sections) {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    all.write(0); // pointer_field
    for (byte[] s : sections) {
      all.write(s, 0, s.length);
    }
    byte[] data = all.toByteArray();
    int position = 0;
    boolean first = true;
    while (position < data.length) {
      int n = Math.min(184, data.length - position);
      byte[] payload = Arrays.copyOf(Arrays.copyOfRange(data, position, position + n), 184);
      Arrays.fill(payload, n, 184, (byte) 0xFF);
      writePacket(pid, first, null, payload, opts());
      position += n;
      first = false;
    }
    return this;
  }

  // ---- PES

  /** Writes one PES packet (stream_id 0xE0 video style), PTS/DTS -1 when absent. */
  TsTestStream pes(int pid, long pts, long dts, byte[] payload, Options o) {
    return pes(pid, 0xE0, pts, dts, payload, o);
  }

  TsTestStream pes(int pid, int streamId, long pts, long dts, byte[] payload, Options o) {
    return packetize(pid, pesBytes(streamId, pts, dts, payload, o.bounded), o);
  }

  static byte[] pesBytes(int streamId, long pts, long dts, byte[] payload, boolean bounded) {
    int headerData = pts < 0 ? 0 : dts < 0 ? 5 : 10;
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.write(0);
    b.write(0);
    b.write(1);
    b.write(streamId);
    int pesPacketLength = 3 + headerData + payload.length;
    if (!bounded || pesPacketLength > 0xFFFF) {
      pesPacketLength = 0;
    }
    b.write(pesPacketLength >> 8);
    b.write(pesPacketLength);
    b.write(0x80);
    b.write(pts < 0 ? 0 : dts < 0 ? 0x80 : 0xC0);
    b.write(headerData);
    if (pts >= 0) {
      writeTimestamp(b, dts < 0 ? 0x2 : 0x3, pts);
    }
    if (dts >= 0) {
      writeTimestamp(b, 0x1, dts);
    }
    b.write(payload, 0, payload.length);
    return b.toByteArray();
  }

  private static void writeTimestamp(ByteArrayOutputStream b, int prefix, long ts) {
    b.write((prefix << 4) | (int) (((ts >> 30) & 0x07) << 1) | 1);
    b.write((int) (ts >> 22));
    b.write((int) (((ts >> 15) & 0x7F) << 1) | 1);
    b.write((int) (ts >> 7));
    b.write((int) ((ts & 0x7F) << 1) | 1);
  }

  /** Splits {@code data} into packets; the options' adaptation field goes into the first one. */
  TsTestStream packetize(int pid, byte[] data, Options o) {
    int position = 0;
    boolean first = true;
    while (first || position < data.length) {
      Options packetOptions = first ? o : opts();
      packetOptions.tei = o.tei;
      packetOptions.scrambling = o.scrambling;
      int afNeeded = adaptationFieldSize(packetOptions);
      int room = 184 - afNeeded;
      int n = Math.min(room, data.length - position);
      writePacket(pid, first, packetOptions, Arrays.copyOfRange(data, position, position + n), packetOptions);
      position += n;
      first = false;
    }
    return this;
  }

  private static int adaptationFieldSize(Options o) {
    if (o.pcr27MHz < 0 && !o.discontinuity && !o.randomAccess) {
      return 0;
    }
    return 2 + (o.pcr27MHz >= 0 ? 6 : 0);
  }

  /** A packet with an adaptation field only (no payload), e.g. PCR on a PID without ES. */
  TsTestStream adaptationOnly(int pid, Options o) {
    writePacket(pid, false, o, null, o);
    return this;
  }

  /**
   * Writes one packet; the payload (≤ 184 bytes, null for none) is padded with adaptation field stuffing.
   */
  TsTestStream writePacket(int pid, boolean pusi, Options af, byte[] payload, Options o) {
    byte[] p = new byte[188];
    p[0] = 0x47;
    p[1] = (byte) ((o.tei ? 0x80 : 0) | (pusi ? 0x40 : 0) | (pid >> 8));
    p[2] = (byte) pid;
    int payloadLength = payload == null ? 0 : payload.length;
    int afLength = 184 - payloadLength; // includes the length byte
    boolean hasAf = afLength > 0 || (af != null && adaptationFieldSize(af) > 0);
    int counter = o.ccOverride >= 0 ? o.ccOverride : cc[pid];
    if (payload != null && o.ccOverride < 0) {
      cc[pid] = (cc[pid] + 1) & 0x0F;
    }
    int afc = (hasAf ? 2 : 0) | (payload != null ? 1 : 0);
    p[3] = (byte) ((o.scrambling << 6) | (afc << 4) | counter);
    int position = 4;
    if (hasAf) {
      int fieldLength = afLength - 1;
      p[4] = (byte) fieldLength;
      position = 5;
      if (fieldLength > 0) {
        int flags = 0;
        if (af != null) {
          flags |= af.discontinuity ? 0x80 : 0;
          flags |= af.randomAccess ? 0x40 : 0;
          flags |= af.pcr27MHz >= 0 ? 0x10 : 0;
        }
        p[5] = (byte) flags;
        position = 6;
        if (af != null && af.pcr27MHz >= 0) {
          long base = af.pcr27MHz / 300;
          long ext = af.pcr27MHz % 300;
          p[6] = (byte) (base >> 25);
          p[7] = (byte) (base >> 17);
          p[8] = (byte) (base >> 9);
          p[9] = (byte) (base >> 1);
          p[10] = (byte) (((base & 1) << 7) | 0x7E | (ext >> 8));
          p[11] = (byte) ext;
          position = 12;
        }
        Arrays.fill(p, position, 5 + fieldLength, (byte) 0xFF);
        position = 5 + fieldLength;
      }
    }
    if (payload != null) {
      System.arraycopy(payload, 0, p, position, payloadLength);
    }
    writeFramed(p);
    return this;
  }

  private void writeFramed(byte[] p) {
    if (packetSize == 192) {
      out.write(new byte[] {0x12, 0x34, 0x56, 0x78}, 0, 4);
    }
    out.write(p, 0, 188);
    if (packetSize == 204) {
      out.write(new byte[16], 0, 16);
    }
  }

  /** Repeats the last written packet verbatim. */
  TsTestStream repeatLastPacket() {
    byte[] all = out.toByteArray();
    out.write(all, all.length - packetSize, packetSize);
    return this;
  }
}
