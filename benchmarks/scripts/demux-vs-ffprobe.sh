#!/usr/bin/env bash
# Compares the demux throughput of io.iptv's TsDemuxer (JMH, in memory) with ffprobe and ffmpeg reading the
# same 1080p ~8 Mbit/s MPEG-TS file (from the page cache; both tools also parse the video stream).
#
#   benchmarks/scripts/demux-vs-ffprobe.sh            # from the repository root or anywhere
#
# Env: DURATION (clip seconds, default 25), RUNS (best-of for the tools, default 5),
#      JMH_ARGS (default "-wi 3 -i 5 -f 1"), MAVEN_ARGS (default "-o"; set to "" to allow downloads).
# MB = 10^6 bytes. Needs ffmpeg, ffprobe, java 17+, mvn.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"
MEDIA_DIR=benchmarks/target/media
CLIP="$MEDIA_DIR/h264_1080p_8M.ts"
DURATION="${DURATION:-25}"
RUNS="${RUNS:-5}"
JMH_ARGS="${JMH_ARGS:--wi 3 -i 5 -f 1}"
MAVEN_ARGS="${MAVEN_ARGS--o}"

# 1. The clip: noisy test pattern (so x264 really spends 8 Mbit/s) + AAC, 2 s GOP.
if [[ ! -f "$CLIP" ]]; then
  mkdir -p "$MEDIA_DIR"
  echo "generating $CLIP (${DURATION}s 1080p25, 8 Mbit/s) ..."
  ffmpeg -hide_banner -nostdin -loglevel error -y \
    -f lavfi -i "testsrc2=size=1920x1080:rate=25:duration=${DURATION},noise=alls=12:allf=t" \
    -f lavfi -i "sine=frequency=440:sample_rate=48000:duration=${DURATION}" \
    -c:v libx264 -preset veryfast -profile:v high -g 50 -bf 2 -b:v 8M -maxrate 8M -bufsize 16M -pix_fmt yuv420p \
    -c:a aac -b:a 128k -ac 2 -fflags +bitexact -map_metadata -1 -f mpegts "$CLIP.tmp"
  mv "$CLIP.tmp" "$CLIP"
fi
BYTES=$(stat -c %s "$CLIP")
echo "clip: $CLIP, $BYTES bytes, $(ffprobe -v error -show_entries format=duration,bit_rate -of csv=p=0 "$CLIP") (duration s, bit/s)"

# 2. Our demuxer under JMH.
if [[ ! -f benchmarks/target/benchmarks.jar ]] || [[ -n "${REBUILD:-}" ]]; then
  mvn -B -q $MAVEN_ARGS -pl benchmarks -am package -DskipTests
fi
JMH_CSV=benchmarks/target/jmh-ts-demux.csv
# shellcheck disable=SC2086
java -jar benchmarks/target/benchmarks.jar 'TsDemuxBenchmark.demux$' -p file="$CLIP" $JMH_ARGS \
  -rf csv -rff "$JMH_CSV" >benchmarks/target/jmh-ts-demux.log
# Primary row: "io.iptv.benchmarks.TsDemuxBenchmark.demux","thrpt",1,5,<ops/s>,<error>,"ops/s",...
OPS=$(awk -F, '$1 ~ /TsDemuxBenchmark.demux"$/ {print $5; exit}' "$JMH_CSV")
OPS_ERR=$(awk -F, '$1 ~ /TsDemuxBenchmark.demux"$/ {print $6; exit}' "$JMH_CSV")
OURS=$(awk -v o="$OPS" -v b="$BYTES" 'BEGIN {printf "%.1f", o * b / 1e6}')
OURS_ERR=$(awk -v o="$OPS_ERR" -v b="$BYTES" 'BEGIN {printf "%.1f", o * b / 1e6}')

# 3. The tools: best of $RUNS wall-clock runs (file already in the page cache).
best_seconds() {
  local best=""
  for _ in $(seq "$RUNS"); do
    local t0 t1
    t0=$(date +%s%N)
    "$@" >/dev/null
    t1=$(date +%s%N)
    local ns=$((t1 - t0))
    if [[ -z "$best" || $ns -lt $best ]]; then best=$ns; fi
  done
  awk -v ns="$best" 'BEGIN {printf "%.4f", ns / 1e9}'
}
cat "$CLIP" >/dev/null
FFPROBE_S=$(best_seconds ffprobe -v error -show_packets "$CLIP")
FFMPEG_S=$(best_seconds ffmpeg -nostdin -v error -i "$CLIP" -map 0 -c copy -f null -)
FFPROBE=$(awk -v s="$FFPROBE_S" -v b="$BYTES" 'BEGIN {printf "%.1f", b / s / 1e6}')
FFMPEG=$(awk -v s="$FFMPEG_S" -v b="$BYTES" 'BEGIN {printf "%.1f", b / s / 1e6}')

echo
printf '%-52s %10s\n' "demuxer" "MB/s"
printf '%-52s %10s\n' "io.iptv TsDemuxer (JMH, 64 KiB feeds, in memory)" "$OURS ± $OURS_ERR"
printf '%-52s %10s   (best of %s: %s s)\n' "ffprobe -show_packets" "$FFPROBE" "$RUNS" "$FFPROBE_S"
printf '%-52s %10s   (best of %s: %s s)\n' "ffmpeg -c copy -f null" "$FFMPEG" "$RUNS" "$FFMPEG_S"
echo
awk -v a="$OURS" -v p="$FFPROBE" -v f="$FFMPEG" \
  'BEGIN {printf "ratio TsDemuxer / ffprobe = %.2f, TsDemuxer / ffmpeg copy = %.2f\n", a / p, a / f}'
echo "(the tools include process start-up and file reading; JMH measures steady-state, warmed-up demuxing)"
