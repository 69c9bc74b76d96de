#!/usr/bin/env bash
# MP4 → CMAF (HLS fMP4) throughput, same input, same run: ffmpeg -hls_segment_type fmp4 vs
# iptv.jar package --format fmp4. Target (#4): ≥ 2× ffmpeg's MB/s. The cmaf line of package-vs-ffmpeg.sh
# (same fairness rules: interleaved runs, sync before each, median of RUNS; the 419 MB looped 1080p MP4).
#
#   benchmarks/scripts/cmaf-vs-ffmpeg.sh                 # CLIP=file.mp4 uses another MP4
#
# Env: CLIP (an MP4 instead of the loop), RUNS (default 3), JAVA_OPTS. For the in-process rate without JVM
# start and disk, run the JMH benchmark CmafPackagingBenchmark.
set -euo pipefail
DIR="$(cd "$(dirname "$0")" && pwd)"
KINDS=cmaf CMAF_INPUT="${CLIP:-}" exec "$DIR/package-vs-ffmpeg.sh"
