#!/usr/bin/env bash
# ISO Common Encryption (cenc, AES-CTR) packaging throughput, same input, same run:
#   1. JMH: io.iptv CencSampleEncryption (cenc and cbcs) vs raw JDK AES-CTR / AES-CBC on one segment's samples;
#   2. ffmpeg TS -> fragmented MP4 with -encryption_scheme cenc-aes-ctr, and without encryption for reference;
#   3. `iptv.jar package --format fmp4 --encryption cenc` end to end (JVM start-up, demux, fMP4, encrypt, write),
#      and without encryption.
# Prints MB/s (of input) and the ratios library/JDK and iptv.jar/ffmpeg.
#
#   benchmarks/scripts/cenc-vs-ffmpeg.sh            # from the repository root or anywhere
#
# Env: DURATION (clip seconds, default 25), RUNS (best-of for the tools, default 5), JMH_ARGS (e.g. "-wi 3 -i 3"
#      for a quick run), MAVEN_ARGS (default "-o"), REBUILD (rebuild the jars). MB = 10^6 bytes.
# Needs ffmpeg, java 17+, mvn. Writes only below benchmarks/target/.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"
MEDIA_DIR=benchmarks/target/media
CLIP="$MEDIA_DIR/h264_1080p_8M.ts"
OUT=benchmarks/target/cenc
DURATION="${DURATION:-25}"
RUNS="${RUNS:-5}"
JMH_ARGS="${JMH_ARGS:-}"
MAVEN_ARGS="${MAVEN_ARGS--o}"
KID=0123456789abcdef0123456789abcdef
KEY=3c1f0e2d4b5a69788796a5b4c3d2e1f0

# 1. The clip (same as aes128-vs-ffmpeg.sh): 1080p25 8 Mbit/s H.264 + AAC, 2 s GOP.
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

# 2. JMH, the four implementations in one run.
JMH_CSV=benchmarks/target/jmh-cenc.csv
# shellcheck disable=SC2086
java -jar benchmarks/target/benchmarks.jar 'CencBenchmark.encrypt$' $JMH_ARGS \
  -rf csv -rff "$JMH_CSV" >benchmarks/target/jmh-cenc.log
# Secondary rows: "io.iptv.benchmarks.CencBenchmark.encrypt:bytes","thrpt",1,5,<bytes/s>,<err>,"ops/s",<impl>
# (the impl column is the last one: JMH ends CSV lines with CR LF)
jmh_mbs() { awk -F, -v impl="$1" '$1 ~ /encrypt:bytes"$/ {gsub(/["\r]/, "", $8)} $1 ~ /encrypt:bytes"$/ && $8 == impl {printf "%.1f", $5 / 1e6; exit}' "$JMH_CSV"; }
jmh_err() { awk -F, -v impl="$1" '$1 ~ /encrypt:bytes"$/ {gsub(/["\r]/, "", $8)} $1 ~ /encrypt:bytes"$/ && $8 == impl {printf "%.1f", $6 / 1e6; exit}' "$JMH_CSV"; }
CENC=$(jmh_mbs cenc); CENC_ERR=$(jmh_err cenc)
CBCS=$(jmh_mbs cbcs); CBCS_ERR=$(jmh_err cbcs)
CTR=$(jmh_mbs jdk-ctr); CTR_ERR=$(jmh_err jdk-ctr)
CBC=$(jmh_mbs jdk-cbc); CBC_ERR=$(jmh_err jdk-cbc)

# 3. The tools: best of $RUNS wall-clock runs (input in the page cache, output in a fresh directory).
best_seconds() {
  local best=""
  for _ in $(seq "$RUNS"); do
    rm -rf "$OUT/run" && mkdir -p "$OUT/run"
    local t0 t1
    t0=$(date +%s%N)
    "$@" >/dev/null || { echo "failed: $*" >&2; exit 1; }
    t1=$(date +%s%N)
    local ns=$((t1 - t0))
    if [[ -z "$best" || $ns -lt $best ]]; then best=$ns; fi
  done
  awk -v ns="$best" 'BEGIN {printf "%.4f", ns / 1e9}'
}
mbs() { awk -v s="$1" -v b="$BYTES" 'BEGIN {printf "%.1f", b / s / 1e6}'; }
mkdir -p "$OUT"
cat "$CLIP" >/dev/null
FF_CENC_S=$(best_seconds ffmpeg -nostdin -v error -i "$CLIP" -map 0 -c copy -bsf:a aac_adtstoasc \
  -encryption_scheme cenc-aes-ctr \
  -encryption_key "$KEY" -encryption_kid "$KID" -movflags +frag_keyframe+empty_moov+default_base_moof \
  -f mp4 "$OUT/run/cenc.mp4")
FF_CLEAR_S=$(best_seconds ffmpeg -nostdin -v error -i "$CLIP" -map 0 -c copy -bsf:a aac_adtstoasc \
  -movflags +frag_keyframe+empty_moov+default_base_moof -f mp4 "$OUT/run/clear.mp4")
IPTV_CENC_S=$(best_seconds java -jar iptv-examples/target/iptv.jar package --quiet --input "$CLIP" \
  --output "$OUT/run/pkg" --segment-duration 6 --format fmp4 --encryption cenc --key "$KID:$KEY")
IPTV_CLEAR_S=$(best_seconds java -jar iptv-examples/target/iptv.jar package --quiet --input "$CLIP" \
  --output "$OUT/run/pkg" --segment-duration 6 --format fmp4)

echo
printf '%-66s %14s\n' "ISO Common Encryption" "MB/s"
printf '%-66s %14s\n' "io.iptv CencSampleEncryption cenc (JMH, one 2 s segment's samples)" "$CENC ± $CENC_ERR"
printf '%-66s %14s\n' "io.iptv CencSampleEncryption cbcs (JMH, same samples)" "$CBCS ± $CBCS_ERR"
printf '%-66s %14s\n' "raw JDK AES/CTR/NoPadding (JMH, same bytes, same run)" "$CTR ± $CTR_ERR"
printf '%-66s %14s\n' "raw JDK AES/CBC/NoPadding (JMH, same bytes, same run)" "$CBC ± $CBC_ERR"
printf '%-66s %14s   (best of %s: %s s)\n' "iptv.jar package --format fmp4 --encryption cenc (end to end)" \
  "$(mbs "$IPTV_CENC_S")" "$RUNS" "$IPTV_CENC_S"
printf '%-66s %14s   (best of %s: %s s)\n' "iptv.jar package --format fmp4 (clear, end to end)" \
  "$(mbs "$IPTV_CLEAR_S")" "$RUNS" "$IPTV_CLEAR_S"
printf '%-66s %14s   (best of %s: %s s)\n' "ffmpeg -c copy -encryption_scheme cenc-aes-ctr (fragmented MP4)" \
  "$(mbs "$FF_CENC_S")" "$RUNS" "$FF_CENC_S"
printf '%-66s %14s   (best of %s: %s s)\n' "ffmpeg -c copy (fragmented MP4, clear)" "$(mbs "$FF_CLEAR_S")" "$RUNS" \
  "$FF_CLEAR_S"
echo
awk -v c="$CENC" -v t="$CTR" -v b="$CBCS" -v k="$CBC" -v p="$(mbs "$IPTV_CENC_S")" -v f="$(mbs "$FF_CENC_S")" 'BEGIN {
  printf "library cenc / raw JDK AES-CTR = %.2f\n", c / t;
  printf "library cbcs / raw JDK AES-CBC = %.2f (cbcs encrypts ~1/10 of the slice bytes)\n", b / k;
  printf "iptv.jar package cenc / ffmpeg cenc-aes-ctr = %.2f x (end to end, both include start-up and I/O)\n", p / f }'
