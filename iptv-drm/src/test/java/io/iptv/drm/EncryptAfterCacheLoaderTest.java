package io.iptv.drm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iptv.core.io.ByteSlice;
import io.iptv.core.serve.HttpRequest;
import io.iptv.core.serve.HttpResponse;
import io.iptv.core.serve.OriginHandler;
import io.iptv.core.serve.RequestHeaders;
import io.iptv.core.serve.ResourceKey;
import io.iptv.core.serve.ResourceLoader;
import io.iptv.core.serve.ServedResource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Encrypt after cache over an in-memory store of clear resources: every segment is decrypted again by the JDK's
 * own AES-CBC with the key and IV a player would use; repeated requests are identical; nothing unlisted or
 * unkeyed is ever served clear.
 */
class EncryptAfterCacheLoaderTest {
  private static final ContentKey K1 = ContentKey.parse("00112233445566778899aabbccddeeff:"
      + "3c1f0e2d4b5a69788796a5b4c3d2e1f0");
  private static final ContentKey K2 = ContentKey.parse("ffeeddccbbaa99887766554433221100:"
      + "0f1e2d3c4b5a69788796a5b4c3d2e1f0");
  private static final String PLAYLIST = """
      #EXTM3U
      #EXT-X-VERSION:3
      #EXT-X-TARGETDURATION:2
      #EXT-X-MEDIA-SEQUENCE:7
      #EXTINF:2.0,
      seg-7.ts
      #EXT-X-KEY:METHOD=AES-128,URI="../keys/00112233445566778899aabbccddeeff.key",KEYFORMAT="identity"
      #EXTINF:2.0,
      seg-8.ts
      #EXT-X-KEY:METHOD=AES-128,URI="../keys/ffeeddccbbaa99887766554433221100.key",KEYFORMAT="identity"
      #EXTINF:2.0,
      seg-9.ts
      """;

  private final Map<String, ServedResource> store = new ConcurrentHashMap<>();
  private final AtomicInteger playlistLoads = new AtomicInteger();
  private final ResourceLoader clear = key -> {
    if (key.kind().isIndex()) {
      playlistLoads.incrementAndGet();
    }
    return store.get(key.path());
  };
  private final ExecutorService executor = Executors.newFixedThreadPool(2);

  @AfterEach
  void stop() {
    executor.shutdownNow();
  }

  private void put(String path, byte[] body) {
    ResourceKey key = ResourceKey.parse(path);
    store.put(path, ServedResource.of(key, ByteSlice.wrap(body)));
  }

  private void putText(String path, String text) {
    put(path, text.getBytes(StandardCharsets.UTF_8));
  }

  private byte[] segment(int seed) {
    byte[] b = new byte[188 * 50 + seed]; // not a multiple of 16: padding is exercised
    new Random(seed).nextBytes(b);
    return b;
  }

  private EncryptAfterCacheLoader loader(KeyLocator keys) {
    putText("/news/master.m3u8", "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1000000\nvideo/index.m3u8\n");
    putText("/news/video/index.m3u8", PLAYLIST);
    for (int i = 7; i <= 9; i++) {
      put("/news/video/seg-" + i + ".ts", segment(i));
    }
    put("/news/video/seg-10.ts", segment(10)); // written, not listed yet
    return EncryptAfterCacheLoader.builder(clear, keys).build();
  }

  private static KeyLocator news() {
    return KeyLocator.inChannels(KeyProvider.fixed(K1, K2), List.of("news"));
  }

  private static byte[] decrypt(ContentKey key, long sequence, byte[] encrypted) throws Exception {
    Cipher cipher = Cipher.getInstance("AES/CBC/PKCS5Padding");
    cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key.keyBytes(), "AES"),
        new IvParameterSpec(IvPolicy.mediaSequence().ivFor(sequence)));
    return cipher.doFinal(encrypted);
  }

  private ServedResource get(ResourceLoader loader, String path) throws Exception {
    return loader.loadAsync(ResourceKey.parse(path), executor).get();
  }

  @Test
  void encryptsEachSegmentWithThePlaylistsKeyAndIvIdenticallyEveryTime() throws Exception {
    EncryptAfterCacheLoader loader = loader(news());
    get(loader, "/news/video/index.m3u8");
    ServedResource lead = get(loader, "/news/video/seg-7.ts");
    assertArrayEquals(segment(7), lead.body().toByteArray(), "clear lead served clear");
    for (int i = 8; i <= 9; i++) {
      ServedResource a = get(loader, "/news/video/seg-" + i + ".ts");
      ServedResource b = get(loader, "/news/video/seg-" + i + ".ts");
      assertArrayEquals(a.body().toByteArray(), b.body().toByteArray(), "deterministic");
      assertEquals(a.etag(), b.etag());
      ServedResource stored = store.get("/news/video/seg-" + i + ".ts");
      assertNotEquals(stored.etag(), a.etag(), "the encrypted variant has a validator of its own");
      assertTrue(a.immutable(), "still cacheable downstream");
      assertEquals(0, a.body().length() % 16);
      assertArrayEquals(segment(i), decrypt(i == 8 ? K1 : K2, i, a.body().toByteArray()), "segment " + i);
      assertArrayEquals(a.body().toByteArray(),
          Aes128SegmentEncryptor.encrypt(i == 8 ? K1 : K2, IvPolicy.mediaSequence().ivFor(i),
              ByteSlice.wrap(segment(i))).toByteArray(), "what the packager would have written");
    }
  }

  @Test
  void aSegmentRequestedBeforeItsPlaylistIsFoundThroughTheMultivariantPlaylist() throws Exception {
    EncryptAfterCacheLoader loader = loader(news());
    ServedResource s9 = loader.load(ResourceKey.parse("/news/video/seg-9.ts"));
    assertArrayEquals(segment(9), decrypt(K2, 9, s9.body().toByteArray()));
    int loads = playlistLoads.get();
    loader.load(ResourceKey.parse("/news/video/seg-8.ts"));
    assertEquals(loads, playlistLoads.get(), "known segments need no playlist");
    assertEquals(3, loader.trackedSegments(), "seg-7..9");
  }

  @Test
  void neverServesClearWhatIsListedNowhereOrWhoseKeyIsMissing() throws Exception {
    EncryptAfterCacheLoader loader = loader(news());
    assertNull(get(loader, "/news/video/seg-10.ts"), "exists, listed nowhere: 404, not clear");
    assertNull(get(loader, "/news/video/seg-11.ts"), "does not exist");

    EncryptAfterCacheLoader onlyK1 = loader(KeyLocator.inChannels(KeyProvider.fixed(K1), List.of("news")));
    ExecutionException e = assertThrows(ExecutionException.class, () -> get(onlyK1, "/news/video/seg-9.ts"));
    assertTrue(e.getCause() instanceof java.io.UncheckedIOException, e.toString());
    assertThrows(IOException.class, () -> onlyK1.load(ResourceKey.parse("/news/video/seg-9.ts")));

    EncryptAfterCacheLoader otherChannel = loader(KeyLocator.inChannels(KeyProvider.fixed(K1, K2),
        List.of("sport")));
    assertThrows(IOException.class, () -> otherChannel.load(ResourceKey.parse("/news/video/seg-8.ts")),
        "a key of another channel is not used");
  }

  @Test
  void throughTheOriginRangesAndConditionalRequestsUseTheEncryptedBytes() throws Exception {
    EncryptAfterCacheLoader loader = loader(news());
    OriginHandler origin = OriginHandler.builder(loader).executor(executor).build();
    HttpResponse full = origin.handle(HttpRequest.get("/news/video/seg-8.ts")).get();
    assertEquals(200, full.status());
    String cacheControl = full.header("Cache-Control");
    assertTrue(cacheControl.startsWith("public"), cacheControl);
    byte[] body = full.body().toByteArray();
    assertArrayEquals(segment(8), decrypt(K1, 8, body));
    String etag = full.header("ETag");
    HttpResponse range = origin.handle(withHeader("/news/video/seg-8.ts", "Range", "bytes=16-47")).get();
    assertEquals(206, range.status());
    assertArrayEquals(java.util.Arrays.copyOfRange(body, 16, 48), range.body().toByteArray());
    HttpResponse notModified = origin.handle(withHeader("/news/video/seg-8.ts", "If-None-Match", etag)).get();
    assertEquals(304, notModified.status());
    HttpResponse playlist = origin.handle(HttpRequest.get("/news/video/index.m3u8")).get();
    assertArrayEquals(store.get("/news/video/index.m3u8").body().toByteArray(), playlist.body().toByteArray(),
        "playlists pass unchanged");
  }

  private static HttpRequest withHeader(String path, String name, String value) {
    return HttpRequest.get(path).withHeaders(RequestHeaders.of(Map.of(name, List.of(value))));
  }
}
