#!/usr/bin/env bash
# AES-128 HLS encryption throughput, same input, same run:
#   1. JMH: io.iptv Aes128SegmentEncryptor vs raw JDK AES/CBC/PKCS5Padding (target: library >= 0.7 x JDK);
#   2. ffmpeg TS -> HLS with -hls_key_info_file (AES-128), and without encryption for reference;
#   3. `iptv.jar package --encryption aes-128` end to end (JVM start-up, demux, mux, encrypt, write).
# Target: >= 10 x ffmpeg's AES-128 HLS MB/s.
#
#   benchmarks/scripts/aes128-vs-ffmpeg.sh            # from the repository root or anywhere
#
# Env: DURATION (clip seconds, default 25), RUNS (best-of for the tools, default 5), JMH_ARGS (default: the
#      benchmark's own warm-up, which is long on purpose; add "-jvmArgsAppend -XX:+UseParallelGC" for stable
#      library figures, see Aes128SegmentBenchmark), MAVEN_ARGS (default "-o"), REBUILD (rebuild the jars).
# MB = 10^6 bytes. Needs ffmpeg, ffprobe, java 17+, mvn. Writes only below benchmarks/target/.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"
MEDIA_DIR=benchmarks/target/media
CLIP="$MEDIA_DIR/h264_1080p_8M.ts"
OUT=benchmarks/target/aes128
DURATION="${DURATION:-25}"
RUNS="${RUNS:-5}"
JMH_ARGS="${JMH_ARGS:-}"
MAVEN_ARGS="${MAVEN_ARGS--o}"
KID=0123456789abcdef0123456789abcdef
KEY=3c1f0e2d4b5a69788796a5b4c3d2e1f0

# 1. The clip (same as demux-vs-ffprobe.sh): 1080p25 8 Mbit/s H.264 + AAC, 2 s GOP.
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
echo "clip: $CLIP, $BYTES bytes"

if [[ ! -f benchmarks/target/benchmarks.jar || ! -f iptv-examples/target/iptv.jar || -n "${REBUILD:-}" ]]; then
  mvn -B -q $MAVEN_ARGS -pl benchmarks,iptv-examples -am package -DskipTests
fi

# 2. JMH, both implementations in one run.
JMH_CSV=benchmarks/target/jmh-aes128.csv
# shellcheck disable=SC2086
java -jar benchmarks/target/benchmarks.jar 'Aes128SegmentBenchmark.encrypt$' $JMH_ARGS \
  -rf csv -rff "$JMH_CSV" >benchmarks/target/jmh-aes128.log
# Secondary rows: "io.iptv.benchmarks.Aes128SegmentBenchmark.encrypt:bytes","thrpt",1,5,<bytes/s>,<err>,"ops/s",<impl>,<size>
jmh_mbs() { awk -F, -v impl="$1" '$1 ~ /encrypt:bytes"$/ {gsub(/"/, "", $8)} $1 ~ /encrypt:bytes"$/ && $8 == impl {printf "%.1f", $5 / 1e6; exit}' "$JMH_CSV"; }
jmh_err() { awk -F, -v impl="$1" '$1 ~ /encrypt:bytes"$/ {gsub(/"/, "", $8)} $1 ~ /encrypt:bytes"$/ && $8 == impl {printf "%.1f", $6 / 1e6; exit}' "$JMH_CSV"; }
LIB=$(jmh_mbs library); LIB_ERR=$(jmh_err library)
JDK=$(jmh_mbs jdk-cbc); JDK_ERR=$(jmh_err jdk-cbc)

# 3. The tools: best of $RUNS wall-clock runs (input in the page cache, output in a fresh directory).
best_seconds() {
  local best=""
  for _ in $(seq "$RUNS"); do
    rm -rf "$OUT/run" && mkdir -p "$OUT/run"
    local t0 t1
    t0=$(date +%s%N)
    "$@" >/dev/null
    t1=$(date +%s%N)
    local ns=$((t1 - t0))
    if [[ -z "$best" || $ns -lt $best ]]; then best=$ns; fi
  done
  awk -v ns="$best" 'BEGIN {printf "%.4f", ns / 1e9}'
}
mbs() { awk -v s="$1" -v b="$BYTES" 'BEGIN {printf "%.1f", b / s / 1e6}'; }
mkdir -p "$OUT"
printf '%s' "$KEY" | xxd -r -p >"$OUT/enc.key"
printf 'keys/%s.key\n%s\n' "$KID" "$OUT/enc.key" >"$OUT/keyinfo.txt"
cat "$CLIP" >/dev/null
FF_AES_S=$(best_seconds ffmpeg -nostdin -v error -i "$CLIP" -map 0 -c copy -f hls -hls_time 6 \
  -hls_playlist_type vod -hls_key_info_file "$OUT/keyinfo.txt" -hls_segment_filename "$OUT/run/seg%d.ts" \
  "$OUT/run/index.m3u8")
FF_CLEAR_S=$(best_seconds ffmpeg -nostdin -v error -i "$CLIP" -map 0 -c copy -f hls -hls_time 6 \
  -hls_playlist_type vod -hls_segment_filename "$OUT/run/seg%d.ts" "$OUT/run/index.m3u8")
IPTV_AES_S=$(best_seconds java -jar iptv-examples/target/iptv.jar package --quiet --input "$CLIP" \
  --output "$OUT/run/pkg" --segment-duration 6 --encryption aes-128 --key "$KID:$KEY")
IPTV_CLEAR_S=$(best_seconds java -jar iptv-examples/target/iptv.jar package --quiet --input "$CLIP" \
  --output "$OUT/run/pkg" --segment-duration 6)

echo
printf '%-62s %14s\n' "AES-128 HLS" "MB/s"
printf '%-62s %14s\n' "io.iptv Aes128SegmentEncryptor (JMH, 2 MiB segments)" "$LIB ± $LIB_ERR"
printf '%-62s %14s\n' "raw JDK AES/CBC/PKCS5Padding (JMH, same run)" "$JDK ± $JDK_ERR"
printf '%-62s %14s   (best of %s: %s s)\n' "iptv.jar package --encryption aes-128 (end to end, JVM start)" \
  "$(mbs "$IPTV_AES_S")" "$RUNS" "$IPTV_AES_S"
printf '%-62s %14s   (best of %s: %s s)\n' "iptv.jar package (clear, end to end)" "$(mbs "$IPTV_CLEAR_S")" \
  "$RUNS" "$IPTV_CLEAR_S"
printf '%-62s %14s   (best of %s: %s s)\n' "ffmpeg -c copy -f hls -hls_key_info_file" "$(mbs "$FF_AES_S")" "$RUNS" \
  "$FF_AES_S"
printf '%-62s %14s   (best of %s: %s s)\n' "ffmpeg -c copy -f hls (clear)" "$(mbs "$FF_CLEAR_S")" "$RUNS" "$FF_CLEAR_S"
echo
awk -v l="$LIB" -v j="$JDK" -v f="$(mbs "$FF_AES_S")" -v p="$(mbs "$IPTV_AES_S")" 'BEGIN {
  printf "library / raw JDK AES-CBC = %.2f (target >= 0.7)\n", l / j;
  printf "library encryption (JMH) / ffmpeg AES-128 HLS = %.1f x (target >= 10)\n", l / f;
  printf "iptv.jar package aes-128 / ffmpeg AES-128 HLS = %.2f x (end to end, both include start-up and I/O)\n", p / f }'
