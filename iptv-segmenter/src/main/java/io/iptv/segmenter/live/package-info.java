/**
 * Live channels: MPEG-TS in from the network, live HLS out, many channels on a few host threads.
 *
 * <p>{@link io.iptv.segmenter.live.LivePackager} owns the channels and serves them all as one
 * {@link io.iptv.core.serve.ResourceLoader}. Each {@link io.iptv.segmenter.live.LiveChannel} is a thin
 * composition: a bounded input queue (never blocks the network thread; drops and counts when full) →
 * {@link io.iptv.segmenter.ts.TsDemuxer} → {@link io.iptv.segmenter.pkg.HlsPackager} in LIVE mode → an in-memory
 * store, its work serialised per channel on the host's executor. Features of the packager (LL-HLS, DVR,
 * SCTE-35, encryption) plug in through {@link io.iptv.segmenter.live.ChannelConfig.Builder#packagerOptions}.
 *
 * <p>Sources ({@link io.iptv.segmenter.live.TsSource}): UDP and RTP, unicast or multicast (any-source and
 * source-specific joins) on one shared selector thread; HTTP pull on the JDK's asynchronous client with
 * exponential back-off; any {@link java.io.InputStream}. {@link io.iptv.segmenter.live.SourceUri} parses
 * {@code udp://GROUP:PORT?source=…&interface=…}, {@code rtp://…}, {@code http://…} and {@code -}.
 *
 * <pre>{@code
 * LivePackager live = LivePackager.builder().executor(pool).segmentDuration(Duration.ofSeconds(2)).build();
 * live.openChannel("news").attach(live.source(SourceUri.parse("udp://239.1.1.1:5000?interface=eth1")));
 * OriginHandler origin = OriginHandler.builder(live).build();   // GET /news/master.m3u8
 * }</pre>
 */
package io.iptv.segmenter.live;
