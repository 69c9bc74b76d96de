package io.iptv.segmenter.live;

import io.iptv.segmenter.ts.TsStatistics;

/**
 * A snapshot of one live channel's counters: what an operator watches per channel. Immutable.
 *
 * <pre>{@code
 * ChannelStatistics s = channel.statistics();
 * log("%s: %d kbit/s, %d CC errors, %d RTP lost, %d dropped, publish p99 %s",
 *     s.channel(), s.inputBitrateBitsPerSecond() / 1000, s.ccErrors(), s.rtpLostPackets(),
 *     s.droppedChunks(), s.publishLatency().p99());
 * }</pre>
 *
 * @param channel the channel name
 * @param bytesReceived bytes handed to the channel (accepted into its input queue)
 * @param chunksReceived chunks (datagrams, reads) accepted
 * @param bytesProcessed bytes demuxed so far ({@code bytesReceived - bytesProcessed} are queued)
 * @param droppedChunks chunks dropped because the input queue was full (the packager fell behind)
 * @param droppedBytes bytes of those chunks
 * @param inputIdle time since input last arrived (input loss shows here first), or {@code null} before any
 * @param inputBitrateBitsPerSecond input bit rate measured on the wall clock over the last second or so
 * @param tsPackets transport packets parsed (as of the last demuxer snapshot, at most about 250 ms old)
 * @param ccErrors continuity-counter errors over all PIDs (ISO/IEC 13818-1 §2.4.3.3)
 * @param pcrJitterMaxNanos the largest PCR jitter of any PID (see {@link io.iptv.segmenter.ts.PidStatistics})
 * @param rtpLostPackets RTP packets lost (sequence-number gaps), 0 without RTP
 * @param segmentsProduced segments published
 * @param discontinuities timeline discontinuities (source restarts, splices) seen by the demuxer
 * @param sourceRestarts times a source reconnected or restarted
 * @param pipelineRestarts times the demuxer/packager had to be rebuilt after input it could not survive
 * @param publishLatency segment publish latency
 * @param lastError the last input error message, or {@code null}
 * @param transportStream the demuxer's last full snapshot, or {@code null} before the first
 */
public record ChannelStatistics(
    String channel,
    long bytesReceived,
    long chunksReceived,
    long bytesProcessed,
    long droppedChunks,
    long droppedBytes,
    java.time.Duration inputIdle,
    long inputBitrateBitsPerSecond,
    long tsPackets,
    long ccErrors,
    long pcrJitterMaxNanos,
    long rtpLostPackets,
    long segmentsProduced,
    long discontinuities,
    long sourceRestarts,
    long pipelineRestarts,
    LatencySummary publishLatency,
    String lastError,
    TsStatistics transportStream) {}
