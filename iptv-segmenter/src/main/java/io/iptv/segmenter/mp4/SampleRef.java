package io.iptv.segmenter.mp4;

/**
 * Where one sample's bytes are and when it is decoded, before edit lists and rescaling.
 *
 * @param offset file offset of the sample's first byte
 * @param size sample size in bytes
 * @param dts decode time in track timescale (media timeline)
 * @param compositionOffset signed composition offset (CTS − DTS) in track timescale
 * @param sync whether decoding can start at this sample
 */
record SampleRef(long offset, int size, long dts, long compositionOffset, boolean sync) {}
