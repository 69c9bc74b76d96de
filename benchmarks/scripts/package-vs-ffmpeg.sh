#!/usr/bin/env bash
# Compares `iptv.jar package` with `ffmpeg -c copy -f hls` packaging the same 1080p ~8 Mbit/s H.264 + AAC
# clip as VOD HLS with 6 s TS segments, for a TS input and an MP4 input, in the same run: interleaved
# (ours, ffmpeg, ours, ffmpeg, ...), best of RUNS wall-clock runs each, output on the same file system.
# Then the in-memory JMH figures (TsToHlsBenchmark, Mp4ToHlsBenchmark), which exclude JVM start-up and disk.
#
#   benchmarks/scripts/package-vs-ffmpeg.sh           # from the repository root or anywhere
#
# Wall time is what a user sees but, on a shared machine, mostly measures the load: CPU time (user + sys of
# the process and its threads, from /usr/bin/time) is printed as well; the JVM's JIT and GC threads count.
# BIG=1 also compares on the >= 1 GB loop made by package-memory.sh (JVM start-up amortised), best of 2.
#
# Env: RUNS (default 5), BIG (default 0), JMH=0 skips JMH, JMH_ARGS (default "-wi 3 -i 5 -f 1"), MAVEN_ARGS (default "-o"),
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

run_tool() { # [timed] ours|theirs input output-dir: prepares the output directory, then runs the tool
  local timed=()
  if [[ $1 == timed ]]; then timed=(/usr/bin/time -f "%U %S" -o "$TIMES"); shift; fi
  rm -rf "$3"
  if [[ $1 == ours ]]; then
    "${timed[@]}" java "${JAVA_OPTS_ARR[@]}" -jar "$JAR" package --input "$2" --output "$3" \
      --segment-duration 6 --quiet
  else
    mkdir -p "$3"
    "${timed[@]}" ffmpeg -nostdin -v error -i "$2" -map 0 -c copy -f hls -hls_time 6 \
      -hls_playlist_type vod -hls_segment_filename "$3/seg-%05d.ts" "$3/index.m3u8"
  fi
}
TIMES=$(mktemp)
trap 'rm -f "$TIMES"' EXIT
elapsed_ns() { # ours|theirs input output-dir -> "wall_ns cpu_ns" (wall includes the rm -rf of old output)
  local t0 t1
  t0=$(date +%s%N)
  run_tool timed "$@" >/dev/null
  t1=$(date +%s%N)
  echo "$((t1 - t0)) $(awk '{printf "%d", ($1 + $2) * 1e9}' "$TIMES")"
}

BIG_IN="$MEDIA_DIR/h264_1080p_8M_x40.ts"
KINDS=(ts mp4)
if [[ "${BIG:-0}" != 0 ]]; then
  [[ -f "$BIG_IN" ]] || { echo "BIG=1 needs $BIG_IN: run benchmarks/scripts/package-memory.sh" >&2; exit 1; }
  KINDS+=(big)
fi
input_of() { case "$1" in ts) echo "$CLIP" ;; mp4) echo "$MP4" ;; big) echo "$BIG_IN" ;; esac; }

mkdir -p "$WORK"
declare -A BEST BEST_CPU
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
for kind in "${KINDS[@]}"; do
  in=$(input_of "$kind")
  runs=$RUNS; [[ $kind == big ]] && runs=2
  cat "$in" >/dev/null
  run_tool ours "$in" "$WORK/ours-$kind" # warm the page cache and the jar
  run_tool theirs "$in" "$WORK/theirs-$kind"
  for _ in $(seq "$runs"); do
    for tool in ours theirs; do
      read -r ns cpu < <(elapsed_ns "$tool" "$in" "$WORK/$tool-$kind")
      key="$tool-$kind"
      if [[ -z "${BEST[$key]:-}" || $ns -lt ${BEST[$key]} ]]; then BEST[$key]=$ns; fi
      if [[ -z "${BEST_CPU[$key]:-}" || $cpu -lt ${BEST_CPU[$key]} ]]; then BEST_CPU[$key]=$cpu; fi
    done
  done
  OURS_SEGS=$(find "$WORK/ours-$kind" -name '*.ts' | wc -l)
  FF_SEGS=$(find "$WORK/theirs-$kind" -name '*.ts' | wc -l)
  echo "$kind: ours $OURS_SEGS segments, ffmpeg $FF_SEGS segments"
  [[ $kind == big ]] && rm -rf "$WORK/ours-big" "$WORK/theirs-big"
done
echo "load after:  $(cut -d' ' -f1-3 /proc/loadavg)"

mbps() { awk -v b="$1" -v ns="$2" 'BEGIN {printf "%.1f", b / (ns / 1e9) / 1e6}'; }
echo
printf '%-6s %-42s %8s %9s %8s %9s\n' input packager "wall s" "MB/s" "cpu s" "MB/cpu-s"
for kind in "${KINDS[@]}"; do
  in=$(input_of "$kind")
  bytes=$(stat -c %s "$in")
  for tool in ours theirs; do
    label="iptv.jar package (JVM start-up included)"; [[ $tool == theirs ]] && label="ffmpeg -c copy -f hls"
    w=${BEST[$tool-$kind]}; c=${BEST_CPU[$tool-$kind]}
    printf '%-6s %-42s %8.3f %9s %8.3f %9s\n' "$kind" "$label" "$(awk -v n="$w" 'BEGIN {print n / 1e9}')" \
      "$(mbps "$bytes" "$w")" "$(awk -v n="$c" 'BEGIN {print n / 1e9}')" "$(mbps "$bytes" "$c")"
  done
  awk -v o="${BEST[ours-$kind]}" -v f="${BEST[theirs-$kind]}" -v oc="${BEST_CPU[ours-$kind]}" \
    -v fc="${BEST_CPU[theirs-$kind]}" -v k="$kind" \
    'BEGIN {printf "%-6s ratio ours / ffmpeg: wall time %.2f, CPU time %.2f\n", k, f / o, fc / oc}'
done
echo "(best of $RUNS interleaved runs (2 for big); $(stat -c %s "$CLIP") B TS / $(stat -c %s "$MP4") B MP4, $(nproc) cores)"

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
    if [[ -n "${BEST[theirs-big]:-}" ]]; then
      awk -v o="$ops" -v b="$bytes" -v bb="$(stat -c %s "$BIG_IN")" -v f="${BEST[theirs-big]}" -v k="$kind" 'BEGIN {
        printf "%-6s   ratio vs ffmpeg on the 1 GB loop (start-up amortised) = %.2f\n", k, o * b / (bb / (f / 1e9)) }'
    fi
  done
  echo "load after JMH: $(cut -d' ' -f1-3 /proc/loadavg)"
fi
