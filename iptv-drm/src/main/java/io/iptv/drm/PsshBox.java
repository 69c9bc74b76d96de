package io.iptv.drm;

import io.iptv.core.MediaException;
import io.iptv.core.io.ByteSlice;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * A Protection System Specific Header box, {@code pssh} (ISO/IEC 23001-7 §8.1): the opaque initialisation data
 * one DRM system needs, carried in an init segment's {@code moov} (or a {@code moof}), in a DASH
 * {@code cenc:pssh} element, or base64 in an HLS key URI. Version 1 also lists the KIDs in clear.
 *
 * <pre>
 * aligned(8) class ProtectionSystemSpecificHeaderBox extends FullBox('pssh', version, flags = 0) {
 *   unsigned int(8)[16] SystemID;
 *   if (version &gt; 0) { unsigned int(32) KID_count; { unsigned int(8)[16] KID; } [KID_count]; }
 *   unsigned int(32) DataSize;
 *   unsigned int(8)[DataSize] Data;
 * }
 * </pre>
 *
 * <p>Immutable and thread-safe; equal by value.
 *
 * <pre>{@code
 * PsshBox box = PsshBox.v1(DrmSystem.CLEARKEY.systemId(), List.of(kid), new byte[0]);
 * byte[] bytes = box.toByteArray();
 * PsshBox again = PsshBox.parse(ByteSlice.wrap(bytes));
 * }</pre>
 */
public final class PsshBox {
  /** Largest box {@link #parse} accepts (a PlayReady header with many KIDs stays far below). */
  public static final int MAX_BOX_BYTES = 64 * 1024;
  private static final int TYPE_PSSH = 0x70737368; // 'pssh'
  private static final int HEADER_BYTES = 8 + 4 + 16; // size, type, version+flags, SystemID

  private final int version;
  private final UUID systemId;
  private final List<KeyId> keyIds;
  private final byte[] data;

  private PsshBox(int version, UUID systemId, List<KeyId> keyIds, byte[] data) {
    this.version = version;
    this.systemId = systemId;
    this.keyIds = keyIds;
    this.data = data;
  }

  /** A version 0 box: no KID list, only {@code data} (copied). */
  public static PsshBox v0(UUID systemId, byte[] data) {
    return new PsshBox(0, Objects.requireNonNull(systemId, "systemId"), List.of(),
        Objects.requireNonNull(data, "data").clone());
  }

  /** A version 1 box listing {@code keyIds} in clear, with {@code data} (copied; may be empty). */
  public static PsshBox v1(UUID systemId, List<KeyId> keyIds, byte[] data) {
    Objects.requireNonNull(systemId, "systemId");
    List<KeyId> kids = List.copyOf(keyIds);
    if (kids.isEmpty()) {
      throw new IllegalArgumentException("a version 1 pssh lists at least one KID");
    }
    return new PsshBox(1, systemId, kids, Objects.requireNonNull(data, "data").clone());
  }

  /**
   * The W3C common-system box ("W3C Common PSSH box format", the one ClearKey reads): version 1, SystemID
   * {@code 1077efec-c0b2-4d02-ace3-3c1e52e2fb4b}, the KIDs, no data.
   */
  public static PsshBox common(List<KeyId> keyIds) {
    return v1(DrmSystem.CLEARKEY.systemId(), keyIds, new byte[0]);
  }

  /**
   * Parses one complete box (exactly the box's bytes).
   *
   * @throws MediaException {@code MALFORMED} if it is not a well-formed {@code pssh} box, {@code TRUNCATED}
   *     if the bytes end early, {@code LIMIT_EXCEEDED} above {@link #MAX_BOX_BYTES}
   */
  public static PsshBox parse(ByteSlice box) throws MediaException {
    Objects.requireNonNull(box, "box");
    if (box.length() > MAX_BOX_BYTES) {
      throw MediaException.limitExceeded("pssh box of " + box.length() + " bytes");
    }
    if (box.length() < HEADER_BYTES + 4) {
      throw MediaException.truncated("pssh box shorter than its header: " + box.length() + " bytes");
    }
    ByteBuffer in = box.asReadOnlyByteBuffer();
    long size = Integer.toUnsignedLong(in.getInt()); // size (32)
    int type = in.getInt(); // type (32)
    if (type != TYPE_PSSH) {
      throw MediaException.malformed("not a pssh box: type 0x" + Integer.toHexString(type));
    }
    if (size != box.length()) {
      throw size > box.length() ? MediaException.truncated("pssh box says " + size + " bytes, has " + box.length())
          : MediaException.malformed("pssh box says " + size + " bytes, given " + box.length());
    }
    int versionAndFlags = in.getInt();
    int version = versionAndFlags >>> 24; // version (8)
    if (version > 1) {
      throw MediaException.unsupported("pssh version " + version);
    }
    UUID systemId = new UUID(in.getLong(), in.getLong()); // SystemID (128)
    List<KeyId> kids = new ArrayList<>();
    if (version == 1) {
      long count = Integer.toUnsignedLong(in.getInt()); // KID_count (32)
      if (count * KeyId.LENGTH > in.remaining() - 4L) {
        throw MediaException.truncated("pssh KID_count " + count + " exceeds the box");
      }
      byte[] kid = new byte[KeyId.LENGTH];
      for (long i = 0; i < count; i++) {
        in.get(kid);
        kids.add(KeyId.of(kid));
      }
    }
    if (in.remaining() < 4) {
      throw MediaException.truncated("pssh box ends before DataSize");
    }
    long dataSize = Integer.toUnsignedLong(in.getInt()); // DataSize (32)
    if (dataSize != in.remaining()) {
      throw MediaException.malformed("pssh DataSize " + dataSize + " but " + in.remaining() + " bytes follow");
    }
    byte[] data = new byte[(int) dataSize];
    in.get(data);
    return new PsshBox(version, systemId, List.copyOf(kids), data);
  }

  /** 0 or 1. */
  public int version() {
    return version;
  }

  /** The DRM system's SystemID. */
  public UUID systemId() {
    return systemId;
  }

  /** The KIDs listed in clear (version 1), or empty. */
  public List<KeyId> keyIds() {
    return keyIds;
  }

  /** The system-specific data (a copy). */
  public byte[] data() {
    return data.clone();
  }

  /** The whole box, header included. */
  public byte[] toByteArray() {
    int size = HEADER_BYTES + (version == 1 ? 4 + keyIds.size() * KeyId.LENGTH : 0) + 4 + data.length;
    ByteBuffer out = ByteBuffer.allocate(size);
    out.putInt(size).putInt(TYPE_PSSH).putInt(version << 24); // size, type, version (8) + flags (24) = 0
    out.putLong(systemId.getMostSignificantBits()).putLong(systemId.getLeastSignificantBits());
    if (version == 1) {
      out.putInt(keyIds.size());
      keyIds.forEach(kid -> out.put(kid.toByteArray()));
    }
    out.putInt(data.length).put(data);
    return out.array();
  }

  /** The whole box as a {@link ByteSlice}, as {@code SegmentSampleEncryptor#psshBoxes()} returns it. */
  public ByteSlice toByteSlice() {
    return ByteSlice.wrap(toByteArray());
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof PsshBox p && version == p.version && systemId.equals(p.systemId)
        && keyIds.equals(p.keyIds) && Arrays.equals(data, p.data);
  }

  @Override
  public int hashCode() {
    return Objects.hash(version, systemId, keyIds, Arrays.hashCode(data));
  }

  @Override
  public String toString() {
    DrmSystem known = DrmSystem.bySystemId(systemId);
    return "PsshBox[v" + version + ", " + (known != null ? known : systemId) + ", kids=" + keyIds + ", data="
        + data.length + " bytes]";
  }
}
