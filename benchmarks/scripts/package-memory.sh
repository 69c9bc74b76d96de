#!/usr/bin/env bash
# Proves that `iptv.jar package` streams: packages a >= 1 GB MPEG-TS file with a 64 MiB heap
# (-Xmx64m), checks the exit code and the segment count, and prints peak RSS and wall time.
#
#   benchmarks/scripts/package-memory.sh              # from the repository root or anywhere
#
# The big input is the 1080p ~8 Mbit/s clip of demux-vs-ffprobe.sh looped with
# `ffmpeg -stream_loop N -c copy` (continuous timestamps), written to benchmarks/target/media.
# Env: LOOPS (extra copies of the clip, default 39: 40 x 26.9 MB = 1.08 GB), SEGMENT (seconds, default 6),
#      HEAP (default 64m), KEEP=1 keeps the output directory. Needs ffmpeg, ffprobe, java 17+, and
#      iptv-examples/target/iptv.jar (mvn -o -q -pl iptv-examples -am package -DskipTests).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"
MEDIA_DIR=benchmarks/target/media
CLIP="$MEDIA_DIR/h264_1080p_8M.ts"
LOOPS="${LOOPS:-39}"
SEGMENT="${SEGMENT:-6}"
HEAP="${HEAP:-64m}"
BIG="$MEDIA_DIR/h264_1080p_8M_x$((LOOPS + 1)).ts"
OUT=benchmarks/target/package-memory-out
JAR=iptv-examples/target/iptv.jar

[[ -f "$JAR" ]] || { echo "missing $JAR: mvn -B -o -q -pl iptv-examples -am package -DskipTests" >&2; exit 1; }
if [[ ! -f "$CLIP" ]]; then
  mkdir -p "$MEDIA_DIR"
  echo "generating $CLIP (25 s 1080p25, 8 Mbit/s) ..."
  ffmpeg -hide_banner -nostdin -loglevel error -y \
    -f lavfi -i "testsrc2=size=1920x1080:rate=25:duration=25,noise=alls=12:allf=t" \
    -f lavfi -i "sine=frequency=440:sample_rate=48000:duration=25" \
    -c:v libx264 -preset veryfast -profile:v high -g 50 -bf 2 -b:v 8M -maxrate 8M -bufsize 16M -pix_fmt yuv420p \
    -c:a aac -b:a 128k -ac 2 -fflags +bitexact -map_metadata -1 -f mpegts "$CLIP.tmp"
  mv "$CLIP.tmp" "$CLIP"
fi
if [[ ! -f "$BIG" ]]; then
  echo "generating $BIG (clip looped $((LOOPS + 1)) times, -c copy) ..."
  ffmpeg -hide_banner -nostdin -loglevel error -y -stream_loop "$LOOPS" -i "$CLIP" -map 0 -c copy \
    -f mpegts "$BIG.tmp"
  mv "$BIG.tmp" "$BIG"
fi
BYTES=$(stat -c %s "$BIG")
DURATION=$(ffprobe -v error -show_entries format=duration -of csv=p=0 "$BIG")
echo "input: $BIG, $BYTES bytes, $DURATION s"
if (( BYTES < 1000000000 )); then
  echo "FAIL: input is smaller than 1 GB; raise LOOPS" >&2
  exit 1
fi

rm -rf "$OUT"
TIME_LOG=benchmarks/target/package-memory.time
CMD=(java "-Xmx$HEAP" -jar "$JAR" package --input "$BIG" --output "$OUT" --segment-duration "$SEGMENT")
T0=$(date +%s%N)
set +e
if [[ -x /usr/bin/time ]]; then
  /usr/bin/time -v -o "$TIME_LOG" "${CMD[@]}"
else
  "${CMD[@]}"
fi
CODE=$?
set -e
T1=$(date +%s%N)
WALL=$(awk -v ns=$((T1 - T0)) 'BEGIN {printf "%.2f", ns / 1e9}')

SEGMENTS=$(grep -c '^#EXTINF' "$OUT/stream/index.m3u8" || true)
FILES=$(find "$OUT/stream" -name '*.ts' | wc -l)
# With the 2 s GOP of the clip, segments are SEGMENT seconds (+ at most one GOP for the merged tail).
EXPECTED=$(awk -v d="$DURATION" -v s="$SEGMENT" 'BEGIN {printf "%d", d / s}')
echo
echo "exit code:        $CODE"
echo "segments:         $SEGMENTS in the playlist, $FILES files (expected about $EXPECTED)"
echo "heap limit:       -Xmx$HEAP"
if [[ -f "$TIME_LOG" ]]; then
  RSS_KB=$(awk -F: '/Maximum resident set size/ {gsub(/ /, "", $2); print $2}' "$TIME_LOG")
  echo "peak RSS:         $((RSS_KB / 1024)) MiB (/usr/bin/time -v)"
else
  echo "peak RSS:         n/a (/usr/bin/time not installed)"
fi
echo "wall time:        $WALL s ($(awk -v b="$BYTES" -v s="$WALL" 'BEGIN {printf "%.1f", b / s / 1e6}') MB/s)"
echo "load average:     $(cut -d' ' -f1-3 /proc/loadavg)"
STATUS=0
if (( CODE != 0 )); then echo "FAIL: exit code $CODE" >&2; STATUS=1; fi
if (( SEGMENTS != FILES || SEGMENTS < EXPECTED - 1 || SEGMENTS > EXPECTED + 1 )); then
  echo "FAIL: segment count $SEGMENTS / $FILES files, expected about $EXPECTED" >&2; STATUS=1
fi
[[ -n "${KEEP:-}" ]] || rm -rf "$OUT"
[[ $STATUS == 0 ]] && echo "OK: packaged $BYTES bytes with -Xmx$HEAP"
exit $STATUS
