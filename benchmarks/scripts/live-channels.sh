#!/usr/bin/env bash
# Many live channels on 2 packaging threads: replays a 5 Mbit/s MPEG-TS (20 s, 720p25 H.264 + AAC, made here
# with ffmpeg) from memory into N LiveChannels in real time and prints segment publish latency, CPU and heap
# per channel (io.iptv.benchmarks.LiveChannelsHarness).
#
#   benchmarks/scripts/live-channels.sh [channels=100] [threads=2]
#
# Needs ffmpeg, java 17+, and benchmarks/target/benchmarks.jar or a compiled reactor
# (mvn -B -o -q -pl benchmarks -am compile). Env: HEAP (default 4g), JAVA_OPTS (e.g. -XX:+UseZGC).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"
MEDIA_DIR=benchmarks/target/media
CLIP="$MEDIA_DIR/h264_720p_5M_20s.ts"
CHANNELS="${1:-100}"
THREADS="${2:-2}"
HEAP="${HEAP:-4g}"

if [[ ! -f "$CLIP" ]]; then
  mkdir -p "$MEDIA_DIR"
  echo "generating $CLIP (20 s 720p25, 5 Mbit/s CBR mux) ..."
  ffmpeg -hide_banner -nostdin -loglevel error -y \
    -f lavfi -i "testsrc2=size=1280x720:rate=25:duration=20,noise=alls=10:allf=t" \
    -f lavfi -i "sine=frequency=440:sample_rate=48000:duration=20" \
    -c:v libx264 -preset ultrafast -b:v 4500k -maxrate 4500k -bufsize 2250k -g 25 -keyint_min 25 \
    -sc_threshold 0 -c:a aac -b:a 128k -f mpegts -muxrate 5000k "$CLIP"
fi
if [[ -f benchmarks/target/benchmarks.jar ]]; then
  CP=benchmarks/target/benchmarks.jar
else
  # the harness needs only iptv-core and iptv-segmenter (JDK-only): a compiled reactor is enough
  CP="benchmarks/target/classes:iptv-segmenter/target/classes:iptv-core/target/classes"
fi
exec java -Xmx"$HEAP" ${JAVA_OPTS:-} -cp "$CP" io.iptv.benchmarks.LiveChannelsHarness "$CLIP" "$CHANNELS" "$THREADS" 5000000
