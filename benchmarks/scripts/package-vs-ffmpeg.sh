#!/usr/bin/env bash
# Compares `iptv.jar package` with `ffmpeg -c copy -f hls` packaging the same 1080p ~8 Mbit/s H.264 + AAC
# clip as VOD HLS with 6 s TS segments, for a TS input and an MP4 input, in the same run: interleaved
# (ours, ffmpeg, ours, ffmpeg, ...), best of RUNS wall-clock runs each, output on the same file system.
# Then the in-memory JMH figures (TsToHlsBenchmark, Mp4ToHlsBenchmark), which exclude JVM start-up and disk.
#
#   benchmarks/scripts/package-vs-ffmpeg.sh           # from the repository root or anywhere
#
# Env: RUNS (default 5), JMH=0 skips JMH, JMH_ARGS (default "-wi 3 -i 5 -f 1"), MAVEN_ARGS (default "-o"),
#      JAVA_OPTS (extra JVM options for the CLI runs). MB = 10^6 input bytes. Needs ffmpeg, ffprobe,
#      java 17+, mvn, and iptv-examples/target/iptv.jar (mvn -o -q -pl iptv-examples -am package -DskipTests).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"
MEDIA_DIR=benchmarks/target/media
CLIP="$MEDIA_DIR/h264_1080p_8M.ts"
MP4="$MEDIA_DIR/h264_1080p_8M.mp4"
RUNS="${RUNS:-5}"
JMH_ARGS="${JMH_ARGS:--wi 3 -i 5 -f 1}"
MAVEN_ARGS="${MAVEN_ARGS--o}"
JAR=iptv-examples/target/iptv.jar
WORK=benchmarks/target/package-vs-ffmpeg
# shellcheck disable=SC2206
JAVA_OPTS_ARR=(${JAVA_OPTS:-})

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
if [[ ! -f "$MP4" ]]; then
  ffmpeg -hide_banner -nostdin -loglevel error -y -i "$CLIP" -map 0 -c copy -bsf:a aac_adtstoasc \
    -movflags +faststart -f mp4 "$MP4.tmp"
  mv "$MP4.tmp" "$MP4"
fi

ours() { # input, output dir
  rm -rf "$2"
  java "${JAVA_OPTS_ARR[@]}" -jar "$JAR" package --input "$1" --output "$2" --segment-duration 6 --quiet
}
theirs() { # input, output dir
  rm -rf "$2"; mkdir -p "$2"
  ffmpeg -nostdin -v error -i "$1" -map 0 -c copy -f hls -hls_time 6 -hls_playlist_type vod \
    -hls_segment_filename "$2/seg-%05d.ts" "$2/index.m3u8"
}
elapsed_ns() { # command...
  local t0 t1
  t0=$(date +%s%N)
  "$@" >/dev/null
  t1=$(date +%s%N)
  echo $((t1 - t0))
}

mkdir -p "$WORK"
declare -A BEST
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
for kind in ts mp4; do
  in="$CLIP"; [[ $kind == mp4 ]] && in="$MP4"
  cat "$in" >/dev/null
  ours "$in" "$WORK/ours-$kind" # warm the page cache and the jar
  theirs "$in" "$WORK/theirs-$kind"
  for _ in $(seq "$RUNS"); do
    for tool in ours theirs; do
      ns=$(elapsed_ns "$tool" "$in" "$WORK/$tool-$kind")
      key="$tool-$kind"
      if [[ -z "${BEST[$key]:-}" || $ns -lt ${BEST[$key]} ]]; then BEST[$key]=$ns; fi
    done
  done
  OURS_SEGS=$(find "$WORK/ours-$kind" -name '*.ts' | wc -l)
  FF_SEGS=$(find "$WORK/theirs-$kind" -name '*.ts' | wc -l)
  echo "$kind: ours $OURS_SEGS segments, ffmpeg $FF_SEGS segments"
done
echo "load after:  $(cut -d' ' -f1-3 /proc/loadavg)"

mbps() { awk -v b="$1" -v ns="$2" 'BEGIN {printf "%.1f", b / (ns / 1e9) / 1e6}'; }
echo
printf '%-6s %-44s %10s %10s\n' input packager "best s" "MB/s"
for kind in ts mp4; do
  in="$CLIP"; [[ $kind == mp4 ]] && in="$MP4"
  bytes=$(stat -c %s "$in")
  o=${BEST[ours-$kind]}; f=${BEST[theirs-$kind]}
  printf '%-6s %-44s %10.3f %10s\n' "$kind" "iptv.jar package (JVM start-up included)" \
    "$(awk -v n="$o" 'BEGIN {print n / 1e9}')" "$(mbps "$bytes" "$o")"
  printf '%-6s %-44s %10.3f %10s\n' "$kind" "ffmpeg -c copy -f hls" \
    "$(awk -v n="$f" 'BEGIN {print n / 1e9}')" "$(mbps "$bytes" "$f")"
  awk -v o="$o" -v f="$f" -v k="$kind" 'BEGIN {printf "%-6s ratio ours / ffmpeg (CLI wall time) = %.2f\n", k, f / o}'
done
echo "(best of $RUNS interleaved runs; $(stat -c %s "$CLIP") B TS / $(stat -c %s "$MP4") B MP4, $(nproc) cores)"

if [[ "${JMH:-1}" != 0 ]]; then
  if [[ ! -f benchmarks/target/benchmarks.jar ]] || [[ -n "${REBUILD:-}" ]]; then
    mvn -B -q $MAVEN_ARGS -pl benchmarks -am package -DskipTests
  fi
  JMH_CSV=benchmarks/target/jmh-package.csv
  # One JMH run per input (the file parameter differs).
  # shellcheck disable=SC2086
  java -jar benchmarks/target/benchmarks.jar 'TsToHlsBenchmark' -p "file=$CLIP" $JMH_ARGS \
    -rf csv -rff "$JMH_CSV.ts" >benchmarks/target/jmh-package-ts.log
  # shellcheck disable=SC2086
  java -jar benchmarks/target/benchmarks.jar 'Mp4ToHlsBenchmark' -p "file=$MP4" $JMH_ARGS \
    -rf csv -rff "$JMH_CSV.mp4" >benchmarks/target/jmh-package-mp4.log
  echo
  for kind in ts mp4; do
    in="$CLIP"; [[ $kind == mp4 ]] && in="$MP4"
    bytes=$(stat -c %s "$in")
    # Primary row: "io.iptv.benchmarks.XBenchmark.packageTs","thrpt",1,5,<ops/s>,<error>,"ops/s",...
    ops=$(awk -F, '$1 ~ /Benchmark.package(Ts|Mp4)"$/ {print $5; exit}' "$JMH_CSV.$kind")
    err=$(awk -F, '$1 ~ /Benchmark.package(Ts|Mp4)"$/ {print $6; exit}' "$JMH_CSV.$kind")
    f=${BEST[theirs-$kind]}
    awk -v o="$ops" -v e="$err" -v b="$bytes" -v f="$f" -v k="$kind" 'BEGIN {
      ours = o * b / 1e6; ff = b / (f / 1e9) / 1e6;
      printf "%-6s JMH in-memory packaging: %.1f ± %.1f MB/s; ratio vs ffmpeg CLI = %.2f\n", k, ours, e * b / 1e6, ours / ff }'
  done
  echo "load after JMH: $(cut -d' ' -f1-3 /proc/loadavg)"
fi
