package io.iptv.core.serve;

import io.iptv.core.MediaException;
import io.iptv.core.internal.Preconditions;
import io.iptv.core.io.ByteSlice;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Serves packaged channels from directories: {@code /{channel}/{name}} is the file {@code name} below the
 * channel's directory.
 *
 * <p>No traversal: names are already restricted by {@link ResourceKey#parse} (no {@code ..}, no hidden
 * segments, no encoded separators), and the real path of every file (symbolic links resolved) must still lie
 * inside the real channel directory, so a symlink pointing outside is a 404. Files larger than
 * {@code maxFileBytes} are an {@link IOException} (503), never read whole.
 *
 * <p>The ETag is size and modification time (as nginx does), which costs no hashing.
 *
 * <p>Thread-safe; blocking (file I/O): put a {@code SegmentCache} in front for hot content.
 *
 * <pre>{@code
 * ResourceLoader dir = DirectoryResourceLoader.builder().channel("news", Path.of("out/news")).build();
 * }</pre>
 */
public final class DirectoryResourceLoader implements ResourceLoader {
  private final Map<String, Path> roots;
  private final long maxFileBytes;

  private DirectoryResourceLoader(Map<String, Path> roots, long maxFileBytes) {
    this.roots = Map.copyOf(roots);
    this.maxFileBytes = maxFileBytes;
  }

  /** A builder without channels. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public ServedResource load(ResourceKey key) throws IOException {
    Path root = roots.get(key.channel());
    if (root == null || key.kind() == ResourceKind.LICENSE) {
      return null;
    }
    Path file = root.resolve(key.name());
    Path real;
    BasicFileAttributes attributes;
    try {
      real = file.toRealPath();
      attributes = Files.readAttributes(real, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException e) {
      return null;
    }
    if (!real.startsWith(root) || !attributes.isRegularFile()) {
      return null; // symlink escaping the channel directory, or a directory
    }
    if (attributes.size() > maxFileBytes) {
      throw MediaException.limitExceeded(key + " is larger than " + maxFileBytes + " bytes");
    }
    byte[] bytes = readAtMost(real, (int) attributes.size());
    String etag = "\"" + Long.toHexString(attributes.lastModifiedTime().toMillis()) + "-"
        + Long.toHexString(bytes.length) + "\"";
    return ServedResource.builder(key, ByteSlice.wrap(bytes)).etag(etag).sniffIndex().build();
  }

  private byte[] readAtMost(Path file, int expected) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      byte[] bytes = in.readNBytes(expected);
      if (in.read() >= 0) {
        throw new IOException(file.getFileName() + " changed while being read");
      }
      return bytes;
    }
  }

  /** Builds a {@link DirectoryResourceLoader}. Not thread-safe. */
  public static final class Builder {
    private final Map<String, Path> roots = new LinkedHashMap<>();
    private Long maxFileBytes;

    private Builder() {}

    /** Serves {@code directory} as channel {@code name}; the directory must exist. */
    public Builder channel(String name, Path directory) {
      Objects.requireNonNull(directory, "directory");
      new ResourceKey(name, ResourceKind.SEGMENT, "x.ts"); // validates the channel name
      Preconditions.requireArgument(!roots.containsKey(name), "channel %s was already added", name);
      Preconditions.requireArgument(Files.isDirectory(directory), "not a directory: %s", directory);
      try {
        roots.put(name, directory.toRealPath());
      } catch (IOException e) {
        throw new IllegalArgumentException("cannot resolve " + directory + ": " + e.getMessage(), e);
      }
      return this;
    }

    /** Largest file served (default 256 MiB). */
    public Builder maxFileBytes(long value) {
      Preconditions.requireState(maxFileBytes == null, "maxFileBytes was already set to %s", maxFileBytes);
      Preconditions.requireArgument(value > 0 && value <= Integer.MAX_VALUE - 8, "bad maxFileBytes: %s", value);
      maxFileBytes = value;
      return this;
    }

    /** Builds the loader. */
    public DirectoryResourceLoader build() {
      return new DirectoryResourceLoader(roots, maxFileBytes != null ? maxFileBytes : 256L << 20);
    }
  }
}
