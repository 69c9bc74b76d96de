#!/usr/bin/env bash
# `iptv.jar package` vs ffmpeg (-c copy) on the same inputs, in the same run, as VOD HLS with 6 s segments:
#   ts    1.05 GB MPEG-TS → HLS/TS     ffmpeg -c copy -f hls                       vs  iptv.jar package
#   mp4   1.05 GB MP4     → HLS/TS     ffmpeg -c copy -f hls                       vs  iptv.jar package
#   cmaf  1.05 GB MP4     → HLS/fMP4   ffmpeg -c copy -f hls -hls_segment_type fmp4 vs iptv.jar package --format fmp4
#   aes   1.05 GB MPEG-TS → HLS/TS, AES-128   ffmpeg -f hls -hls_key_info_file     vs  package --encryption aes-128
#   cenc  1.05 GB MPEG-TS → fMP4, cenc  ffmpeg -f mp4 (fragmented) -encryption_scheme cenc-aes-ctr
#                                                                  vs  package --format fmp4 --encryption cenc
#         (ffmpeg's HLS muxer ignores -encryption_scheme: its fMP4 segments come out clear, so its mp4 muxer is
#         the reference, as in issue #5; one fragmented file instead of segments + playlists)
#   cenc-mp4  1.05 GB MP4 → fMP4, cenc: the same two commands on the MP4 (ours: samples read as they are and
#         encrypted, no Annex B round trip; the usual input of a DASH/CMAF CENC packager)
# Inputs: the 1080p ~8 Mbit/s H.264 + AAC clip looped with -c copy (media.sh), so that JVM start-up (~0.2 s)
# is amortised as in a real packaging job. Targets: ours ≥ 2× ffmpeg's MB/s on ts/mp4/cmaf (issues #3, #4),
# ≥ 10× on aes/cenc (issue #5).
#
#   benchmarks/scripts/package-vs-ffmpeg.sh           # from the repository root or anywhere
#
# Fairness: the tools alternate run by run (ours, ffmpeg, ours, ...), so load from other processes hits both
# alike; before every timed run the old output is deleted and `sync` flushes dirty pages (not timed), so
# neither tool is throttled by the other's 1 GB of write-back; the input is in the page cache (read once
# first); both write to the same file system. Reported: the median of RUNS wall times per tool, MB/s =
# input bytes / wall time (10^6 bytes), and the ratio; CPU time (user + sys of the process and its threads,
# /usr/bin/time) is printed too, since wall time on a shared machine partly measures the load.
#
# A third tool in the rotation, "tuned", is iptv.jar with the JVM options recommended for batch packaging
# (TUNED_OPTS, default "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC": C1 only and the serial collector; they cut
# the JVM's own CPU (C2 compiler threads ~30 % of all CPU samples of a default run, parallel GC threads, heap
# page faults) by about a third; see benchmarks/README.md). TUNED_OPTS= (empty) skips it.
#
# FLOOR=1 adds "floor": io.iptv.benchmarks.PackagingFloor from benchmarks/target/benchmarks.jar, the least work
# any JVM program must do for each line (read the input, wrap it in TS packets or encrypt it, write segment files
# of the same size on four writer threads; no demuxing or muxing logic). A target the floor misses in the same run
# cannot be met by a JVM packager on this machine. Needs mvn -B -o -q -pl benchmarks -am package -DskipTests.
#
# Env: OUT_DIR (where the tools write, default under benchmarks/target; e.g. /dev/shm takes the disk and the
#      page cache's cost of fresh pages out of the comparison, which on the VMs measured here swung by 10×
#      between runs: dd of 1 GB took 0.19 s or 2.3 s), RUNS (default 3), KINDS (default "ts mp4 cmaf aes cenc cenc-mp4"), CMAF_INPUT (an MP4 for the cmaf line instead of the
#      loop), JAR (default iptv-examples/target/iptv.jar; e.g. a copy of an older build to compare), JAVA_OPTS
#      (extra JVM options for the default runs), TUNED_OPTS, JMH=1 also runs the in-memory JMH benchmarks
#      (TsToHlsBenchmark, Mp4ToHlsBenchmark on the 26.9 MB clips; JMH_ARGS default "-wi 3 -i 5 -f 1").
#      Needs ffmpeg, java 17+, mvn, iptv-examples/target/iptv.jar (mvn -B -o -q -pl iptv-examples -am package
#      -DskipTests).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"
RUNS="${RUNS:-3}"
KINDS_ARR=(${KINDS:-ts mp4 cmaf aes cenc cenc-mp4})
KID=0123456789abcdef0123456789abcdef
KEY=3c1f0e2d4b5a69788796a5b4c3d2e1f0
JMH_ARGS="${JMH_ARGS:--wi 3 -i 5 -f 1}"
JAR="${JAR:-iptv-examples/target/iptv.jar}"
WORK=benchmarks/target/package-vs-ffmpeg
OUT="${OUT_DIR:-$WORK}/package-vs-ffmpeg-out" # the tools' output directories
# shellcheck disable=SC2206
JAVA_OPTS_ARR=(${JAVA_OPTS:-})
TUNED_OPTS="${TUNED_OPTS--XX:TieredStopAtLevel=1 -XX:+UseSerialGC}"
# shellcheck disable=SC2206
TUNED_OPTS_ARR=(${TUNED_OPTS})
TOOLS=(ours theirs); [[ -n "$TUNED_OPTS" ]] && TOOLS=(ours tuned theirs)
if [[ "${FLOOR:-0}" != 0 ]]; then
  TOOLS=("${TOOLS[@]:0:${#TOOLS[@]}-1}" floor theirs)
  [[ -f benchmarks/target/benchmarks.jar ]] || { echo "missing benchmarks/target/benchmarks.jar" >&2; exit 1; }
fi
[[ -f "$JAR" ]] || { echo "missing $JAR: mvn -B -o -q -pl iptv-examples -am package -DskipTests" >&2; exit 1; }
# shellcheck source=media.sh
source benchmarks/scripts/media.sh

input_of() {
  case "$1" in
    ts | aes | cenc) echo "$BIG_TS" ;;
    mp4 | cenc-mp4) echo "$BIG_MP4" ;;
    cmaf) echo "${CMAF_INPUT:-$BIG_MP4}" ;;
  esac
}

run_tool() { # ours|tuned|floor|theirs kind input output-dir
  if [[ $1 == floor ]]; then
    "${TIMED[@]}" java -cp benchmarks/target/benchmarks.jar io.iptv.benchmarks.PackagingFloor --kind "$2" \
      --input "$3" --output "$4"
  elif [[ $1 == ours || $1 == tuned ]]; then
    local fmt=()
    case $2 in
      cmaf) fmt=(--format fmp4) ;;
      aes) fmt=(--encryption aes-128 --key "$KID:$KEY") ;;
      cenc | cenc-mp4) fmt=(--format fmp4 --encryption cenc --key "$KID:$KEY") ;;
    esac
    local opts=("${JAVA_OPTS_ARR[@]}"); [[ $1 == tuned ]] && opts=("${TUNED_OPTS_ARR[@]}")
    "${TIMED[@]}" java "${opts[@]}" -jar "$JAR" package --input "$3" --output "$4" --segment-duration 6 --quiet \
      "${fmt[@]}"
  else
    mkdir -p "$4"
    if [[ $2 == aes ]]; then
      printf 'key.bin\n%s\n%s\n' "$KEY_FILE" "$KID" >"$WORK/key-info.txt" # URI, key file, IV
      "${TIMED[@]}" ffmpeg -nostdin -v error -i "$3" -map 0 -c copy -f hls -hls_time 6 -hls_playlist_type vod \
        -hls_key_info_file "$WORK/key-info.txt" -hls_segment_filename "$4/seg-%05d.ts" "$4/index.m3u8"
    elif [[ $2 == cenc || $2 == cenc-mp4 ]]; then
      "${TIMED[@]}" ffmpeg -nostdin -v error -i "$3" -map 0 -c copy -bsf:a aac_adtstoasc \
        -encryption_scheme cenc-aes-ctr -encryption_key "$KEY" -encryption_kid "$KID" \
        -movflags +frag_keyframe+empty_moov+default_base_moof -f mp4 "$4/cenc.mp4"
    elif [[ $2 == cmaf ]]; then
      "${TIMED[@]}" ffmpeg -nostdin -v error -i "$3" -map 0 -c copy -f hls -hls_time 6 -hls_playlist_type vod \
        -hls_segment_type fmp4 -hls_fmp4_init_filename init.mp4 -hls_segment_filename "$4/seg-%05d.m4s" \
        "$4/index.m3u8"
    else
      "${TIMED[@]}" ffmpeg -nostdin -v error -i "$3" -map 0 -c copy -f hls -hls_time 6 -hls_playlist_type vod \
        -hls_segment_filename "$4/seg-%05d.ts" "$4/index.m3u8"
    fi
  fi
}
TIMES=$(mktemp)
TIMED=(/usr/bin/time -f "%U %S" -o "$TIMES") # user and sys CPU of the tool's process and its threads
trap 'rm -f "$TIMES"; rm -rf "$WORK" "$OUT"' EXIT
timed_run() { # ours|theirs kind input output-dir -> "wall_ns cpu_ns"
  local t0 t1
  rm -rf "$4"
  sync
  t0=$(date +%s%N)
  run_tool "$@" >/dev/null 2>"$WORK/stderr" || { cat "$WORK/stderr" >&2; exit 1; }
  t1=$(date +%s%N)
  echo "$((t1 - t0)) $(awk '{printf "%.0f", ($1 + $2) * 1e9}' "$TIMES")"
}
median() { sort -n | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }

mkdir -p "$WORK" "$OUT"
KEY_FILE="$(pwd)/$WORK/key.bin"
printf '%b' "$(sed 's/../\\x&/g' <<<"$KEY")" >"$KEY_FILE" # the 16 key bytes
declare -A WALLS CPUS
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
for kind in "${KINDS_ARR[@]}"; do
  in=$(input_of "$kind")
  cat "$in" >/dev/null # page cache
  for _ in $(seq "$RUNS"); do
    for tool in "${TOOLS[@]}"; do
      read -r ns cpu < <(timed_run "$tool" "$kind" "$in" "$OUT/$tool-$kind")
      WALLS[$tool-$kind]+="$ns "
      CPUS[$tool-$kind]+="$cpu "
    done
  done
  ours_n=$(find "$OUT/ours-$kind" -name '*.ts' -o -name '*.m4s' | wc -l)
  theirs_n=$(find "$OUT/theirs-$kind" -name '*.ts' -o -name '*.m4s' -o -name '*.mp4' | wc -l)
  echo "$kind: ours $ours_n segment files, ffmpeg $theirs_n; walls ours [${WALLS[ours-$kind]}] ffmpeg [${WALLS[theirs-$kind]}] ns"
  rm -rf "$OUT/ours-$kind" "$OUT/tuned-$kind" "$OUT/floor-$kind" "$OUT/theirs-$kind"
done
echo "load after:  $(cut -d' ' -f1-3 /proc/loadavg)"

echo
printf '%-8s %-9s %-56s %8s %8s %8s %9s\n' kind input packager "wall s" "MB/s" "cpu s" "MB/cpu-s"
for kind in "${KINDS_ARR[@]}"; do
  in=$(input_of "$kind")
  bytes=$(stat -c %s "$in")
  for tool in "${TOOLS[@]}"; do
    w=$(tr ' ' '\n' <<<"${WALLS[$tool-$kind]}" | grep . | median)
    c=$(tr ' ' '\n' <<<"${CPUS[$tool-$kind]}" | grep . | median)
    eval "W_$tool=$w C_$tool=$c"
    label="iptv.jar package (JVM start included)"
    [[ $tool == tuned ]] && label="same, java $TUNED_OPTS"
    [[ $tool == floor ]] && label="floor: read, wrap/encrypt, write (PackagingFloor)"
    [[ $tool == theirs ]] && label="ffmpeg 5.1 -c copy -f hls"
    [[ $tool == theirs && $kind == aes ]] && label="ffmpeg 5.1 -c copy -f hls -hls_key_info_file"
    [[ $tool == theirs && $kind == cenc* ]] && label="ffmpeg 5.1 -c copy -f mp4 (frag.) cenc-aes-ctr"
    awk -v k="$kind" -v b="$bytes" -v w="$w" -v c="$c" -v l="$label" 'BEGIN {
      printf "%-8s %6.0f MB %-56s %8.3f %8.1f %8.3f %9.1f\n", k, b / 1e6, l, w / 1e9, b / (w / 1e9) / 1e6, c / 1e9,
        b / (c / 1e9) / 1e6 }'
  done
  # shellcheck disable=SC2154
  awk -v k="$kind" -v o="$W_ours" -v f="$W_theirs" -v oc="$C_ours" -v fc="$C_theirs" 'BEGIN {
    printf "%-8s ratio ours / ffmpeg (MB/s): wall %.2f×, CPU %.2f×\n", k, f / o, fc / oc }'
  if [[ "${FLOOR:-0}" != 0 ]]; then
    # shellcheck disable=SC2154
    awk -v k="$kind" -v o="$W_floor" -v f="$W_theirs" -v oc="$C_floor" -v fc="$C_theirs" 'BEGIN {
      printf "%-8s ratio floor / ffmpeg (MB/s): wall %.2f×, CPU %.2f×\n", k, f / o, fc / oc }'
  fi
  if [[ -n "$TUNED_OPTS" ]]; then
    # shellcheck disable=SC2154
    awk -v k="$kind" -v o="$W_tuned" -v f="$W_theirs" -v oc="$C_tuned" -v fc="$C_theirs" 'BEGIN {
      printf "%-8s ratio tuned / ffmpeg (MB/s): wall %.2f×, CPU %.2f×\n", k, f / o, fc / oc }'
  fi
done
echo "(median of $RUNS interleaved runs each, sync before every run, $(nproc) cores)"

if [[ "${JMH:-0}" != 0 ]]; then
  if [[ ! -f benchmarks/target/benchmarks.jar ]] || [[ -n "${REBUILD:-}" ]]; then
    mvn -B -q -o -pl benchmarks -am package -DskipTests
  fi
  # shellcheck disable=SC2086
  java -jar benchmarks/target/benchmarks.jar 'TsToHlsBenchmark' -p "file=$CLIP" $JMH_ARGS \
    -rf csv -rff benchmarks/target/jmh-package.csv.ts >benchmarks/target/jmh-package-ts.log
  # shellcheck disable=SC2086
  java -jar benchmarks/target/benchmarks.jar 'Mp4ToHlsBenchmark' -p "file=$CLIP_MP4" $JMH_ARGS \
    -rf csv -rff benchmarks/target/jmh-package.csv.mp4 >benchmarks/target/jmh-package-mp4.log
  for kind in ts mp4; do
    in="$CLIP"; [[ $kind == mp4 ]] && in="$CLIP_MP4"
    ops=$(awk -F, '$1 ~ /Benchmark.package(Ts|Mp4)"$/ {print $5; exit}' "benchmarks/target/jmh-package.csv.$kind")
    awk -v o="$ops" -v b="$(stat -c %s "$in")" -v k="$kind" 'BEGIN {
      printf "%-5s JMH in-memory packaging (no JVM start, no disk): %.1f MB/s\n", k, o * b / 1e6 }'
  done
fi
