#!/usr/bin/env bash
# MP4 → CMAF (HLS fMP4) throughput, same input, same run: ffmpeg -hls_segment_type fmp4 vs
# iptv.jar package --format fmp4 (wall clock, JVM start included, best of RUNS). Target: ≥ 2× ffmpeg's MB/s.
#
#   benchmarks/scripts/cmaf-vs-ffmpeg.sh      # needs iptv-examples/target/iptv.jar (mvn -o -pl iptv-examples -am package)
#
# Env: DURATION (clip seconds, default 60; other values get their own clip file), CLIP (use this MP4 instead),
# RUNS (default 5; the two tools alternate run by run, so load from other processes hits both alike).
# MB = 10^6 bytes. Needs ffmpeg, java 17+. For the in-process rate without JVM start and disk, run the JMH
# benchmark CmafPackagingBenchmark on the same clip.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"
JAR=iptv-examples/target/iptv.jar
MEDIA_DIR=benchmarks/target/media
DURATION="${DURATION:-60}"
if [[ "$DURATION" == 60 ]]; then DEFAULT_CLIP="$MEDIA_DIR/h264_720p_3M.mp4"; else DEFAULT_CLIP="$MEDIA_DIR/h264_720p_3M_${DURATION}s.mp4"; fi
CLIP="${CLIP:-$DEFAULT_CLIP}"
RUNS="${RUNS:-5}"
[[ -f "$JAR" ]] || { echo "build $JAR first: mvn -B -o -q -pl iptv-examples -am package -DskipTests" >&2; exit 1; }
if [[ ! -f "$CLIP" ]]; then
  mkdir -p "$MEDIA_DIR"
  ffmpeg -hide_banner -nostdin -loglevel error -y \
    -f lavfi -i "testsrc2=size=1280x720:rate=25:duration=${DURATION}" \
    -f lavfi -i "sine=frequency=440:sample_rate=48000:duration=${DURATION}" \
    -c:v libx264 -preset veryfast -g 50 -bf 2 -b:v 3M -pix_fmt yuv420p -c:a aac -b:a 128k "$CLIP.tmp.mp4"
  mv "$CLIP.tmp.mp4" "$CLIP"
fi
BYTES=$(stat -c %s "$CLIP")
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
run_once() { # wall seconds of one run of "$@"
  local t0 t1
  rm -rf "$OUT/o"; mkdir -p "$OUT/o"
  t0=$(date +%s.%N); "$@" >/dev/null 2>&1; t1=$(date +%s.%N)
  echo "$t1 - $t0" | bc -l
}
FF=999999
OURS=999999
for _ in $(seq "$RUNS"); do # alternate the tools; keep each one's best
  s=$(run_once ffmpeg -nostdin -v error -i "$CLIP" -c copy -f hls -hls_segment_type fmp4 -hls_time 6 \
    -hls_playlist_type vod "$OUT/o/index.m3u8")
  if (( $(echo "$s < $FF" | bc -l) )); then FF=$s; fi
  s=$(run_once java -jar "$JAR" package --quiet --input "$CLIP" --output "$OUT/o/pkg" --format fmp4 \
    --segment-duration 6)
  if (( $(echo "$s < $OURS" | bc -l) )); then OURS=$s; fi
done
printf "input %.1f MB\nffmpeg fmp4: %.3f s  %.1f MB/s\niptv fmp4:   %.3f s  %.1f MB/s\nratio iptv/ffmpeg: %.2f\n" \
  "$(echo "$BYTES/1000000" | bc -l)" "$FF" "$(echo "$BYTES/1000000/$FF" | bc -l)" \
  "$OURS" "$(echo "$BYTES/1000000/$OURS" | bc -l)" "$(echo "$FF/$OURS" | bc -l)"
