package io.iptv.segmenter.es;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Test-only, deliberately minimal MPEG-TS reader (ISO/IEC 13818-1 §2.4.3, §2.4.4): finds the first
 * program's elementary streams through PAT/PMT and cuts each into PES payloads with their PTS/DTS, so the
 * ES readers can be checked against ffprobe before the real TS layer exists. No wrap handling, no CC
 * checks: for clean, short, locally generated clips only.
 */
final class TestPesExtractor {
  private TestPesExtractor() {}

  /** One PES packet of one PID. */
  record Pes(int pid, byte[] payload, long pts90k, long dts90k, boolean randomAccess) {}

  /** The clip's streams (pid → stream_type) and PES packets in file order. */
  record Clip(Map<Integer, Integer> streamTypes, List<Pes> pes) {
    List<Pes> of(int pid) {
      return pes.stream().filter(p -> p.pid() == pid).toList();
    }
  }

  static Clip extract(byte[] ts) {
    int pmtPid = -1;
    Map<Integer, Integer> streamTypes = new LinkedHashMap<>();
    Map<Integer, ByteArrayOutputStream> open = new LinkedHashMap<>();
    Map<Integer, Boolean> openRai = new LinkedHashMap<>();
    List<Pes> out = new ArrayList<>();
    for (int p = 0; p + 188 <= ts.length; p += 188) {
      if (ts[p] != 0x47) {
        throw new IllegalArgumentException("lost sync at " + p);
      }
      boolean pusi = (ts[p + 1] & 0x40) != 0;
      int pid = ((ts[p + 1] & 0x1F) << 8) | (ts[p + 2] & 0xFF);
      int afc = (ts[p + 3] >> 4) & 3;
      int payload = p + 4;
      boolean rai = false;
      if ((afc & 2) != 0) {
        int afLength = ts[p + 4] & 0xFF;
        rai = afLength > 0 && (ts[p + 5] & 0x40) != 0;
        payload += 1 + afLength;
      }
      if ((afc & 1) == 0 || payload >= p + 188) {
        continue;
      }
      int end = p + 188;
      if (pid == 0 && pusi) {
        int s = payload + 1 + (ts[payload] & 0xFF);
        pmtPid = ((ts[s + 10] & 0x1F) << 8) | (ts[s + 11] & 0xFF);
      } else if (pid == pmtPid && pusi && streamTypes.isEmpty()) {
        int s = payload + 1 + (ts[payload] & 0xFF);
        int sectionLength = ((ts[s + 1] & 0x0F) << 8) | (ts[s + 2] & 0xFF);
        int programInfoLength = ((ts[s + 10] & 0x0F) << 8) | (ts[s + 11] & 0xFF);
        int i = s + 12 + programInfoLength;
        int stop = s + 3 + sectionLength - 4;
        while (i + 5 <= stop) {
          int type = ts[i] & 0xFF;
          int esPid = ((ts[i + 1] & 0x1F) << 8) | (ts[i + 2] & 0xFF);
          int esInfoLength = ((ts[i + 3] & 0x0F) << 8) | (ts[i + 4] & 0xFF);
          streamTypes.put(esPid, type);
          i += 5 + esInfoLength;
        }
      } else if (streamTypes.containsKey(pid)) {
        if (pusi) {
          close(pid, open, openRai, out);
          open.put(pid, new ByteArrayOutputStream());
          openRai.put(pid, rai);
        }
        ByteArrayOutputStream buf = open.get(pid);
        if (buf != null) {
          buf.write(ts, payload, end - payload);
        }
      }
    }
    for (Integer pid : new ArrayList<>(open.keySet())) {
      close(pid, open, openRai, out);
    }
    return new Clip(streamTypes, out);
  }

  private static void close(int pid, Map<Integer, ByteArrayOutputStream> open, Map<Integer, Boolean> openRai,
      List<Pes> out) {
    ByteArrayOutputStream buf = open.remove(pid);
    if (buf == null) {
      return;
    }
    byte[] pes = buf.toByteArray();
    if (pes.length < 9 || pes[0] != 0 || pes[1] != 0 || pes[2] != 1) {
      return;
    }
    int flags = pes[7] & 0xFF;
    int headerLength = pes[8] & 0xFF;
    long pts = Long.MIN_VALUE;
    long dts = Long.MIN_VALUE;
    if ((flags & 0x80) != 0) {
      pts = readTimestamp(pes, 9);
      dts = pts;
    }
    if ((flags & 0x40) != 0) {
      dts = readTimestamp(pes, 14);
    }
    int start = 9 + headerLength;
    int pesLength = ((pes[4] & 0xFF) << 8) | (pes[5] & 0xFF);
    int stop = pesLength == 0 ? pes.length : Math.min(pes.length, 6 + pesLength);
    byte[] payload = java.util.Arrays.copyOfRange(pes, start, stop);
    out.add(new Pes(pid, payload, pts, dts, openRai.remove(pid)));
  }

  private static long readTimestamp(byte[] b, int i) {
    return ((long) (b[i] & 0x0E) << 29) | ((b[i + 1] & 0xFFL) << 22) | ((b[i + 2] & 0xFEL) << 14)
        | ((b[i + 3] & 0xFFL) << 7) | ((b[i + 4] & 0xFFL) >> 1);
  }
}
