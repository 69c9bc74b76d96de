package io.iptv.core.serve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iptv.core.MediaException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectoryResourceLoaderTest {
  @TempDir
  Path temp;

  private DirectoryResourceLoader loader(Path dir) {
    return DirectoryResourceLoader.builder().channel("news", dir).build();
  }

  @Test
  void servesFilesWithSizeAndTimeEtag() throws IOException {
    Path dir = Files.createDirectories(temp.resolve("news"));
    Files.write(dir.resolve("seg-1.ts"), new byte[] {1, 2, 3});
    Files.writeString(dir.resolve("index.m3u8"), "#EXTM3U\n#EXT-X-TARGETDURATION:4\n#EXT-X-ENDLIST\n");
    DirectoryResourceLoader loader = loader(dir);
    ServedResource seg = loader.load(ResourceKey.parse("/news/seg-1.ts"));
    assertArrayEquals(new byte[] {1, 2, 3}, seg.body().toByteArray());
    assertEquals("video/mp2t", seg.contentType());
    ServedResource playlist = loader.load(ResourceKey.parse("/news/index.m3u8"));
    assertFalse(playlist.live());
    assertEquals(java.time.Duration.ofSeconds(4), playlist.targetDuration());
    String before = seg.etag();
    Files.write(dir.resolve("seg-1.ts"), new byte[] {1, 2, 3, 4});
    Files.setLastModifiedTime(dir.resolve("seg-1.ts"), FileTime.fromMillis(1_000_000));
    assertNotEquals(before, loader.load(ResourceKey.parse("/news/seg-1.ts")).etag());
  }

  @Test
  void missingFilesDirectoriesAndChannelsAreNull() throws IOException {
    Path dir = Files.createDirectories(temp.resolve("news"));
    Files.createDirectories(dir.resolve("dir.ts"));
    DirectoryResourceLoader loader = loader(dir);
    assertNull(loader.load(ResourceKey.parse("/news/nope.ts")));
    assertNull(loader.load(ResourceKey.parse("/news/dir.ts")));
    assertNull(loader.load(ResourceKey.parse("/other/seg-1.ts")));
  }

  @Test
  void symlinkEscapingTheChannelIsNotServed() throws IOException {
    Path dir = Files.createDirectories(temp.resolve("news"));
    Path secret = Files.writeString(temp.resolve("secret.ts"), "secret", StandardCharsets.UTF_8);
    Files.createSymbolicLink(dir.resolve("leak.ts"), secret);
    Files.createSymbolicLink(dir.resolve("up"), temp);
    Path inside = Files.writeString(dir.resolve("real.ts"), "ok");
    Files.createSymbolicLink(dir.resolve("alias.ts"), inside);
    DirectoryResourceLoader loader = loader(dir);
    assertNull(loader.load(ResourceKey.parse("/news/leak.ts")));
    assertNull(loader.load(ResourceKey.parse("/news/up/secret.ts")));
    assertEquals("ok", new String(loader.load(ResourceKey.parse("/news/alias.ts")).body().toByteArray(),
        StandardCharsets.UTF_8));
  }

  @Test
  void oversizedFileIsALimitError() throws IOException {
    Path dir = Files.createDirectories(temp.resolve("news"));
    Files.write(dir.resolve("big.ts"), new byte[2000]);
    DirectoryResourceLoader loader = DirectoryResourceLoader.builder().channel("news", dir).maxFileBytes(1000)
        .build();
    MediaException e = assertThrows(MediaException.class, () -> loader.load(ResourceKey.parse("/news/big.ts")));
    assertEquals(MediaException.Kind.LIMIT_EXCEEDED, e.kind());
  }

  @Test
  void builderValidates() throws IOException {
    Path dir = Files.createDirectories(temp.resolve("news"));
    assertThrows(IllegalArgumentException.class,
        () -> DirectoryResourceLoader.builder().channel("news", temp.resolve("missing")));
    assertThrows(IllegalArgumentException.class, () -> DirectoryResourceLoader.builder().channel("../x", dir));
    assertThrows(IllegalArgumentException.class,
        () -> DirectoryResourceLoader.builder().channel("news", dir).channel("news", dir));
    assertTrue(Files.isDirectory(dir));
  }
}
