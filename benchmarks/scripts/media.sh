#!/usr/bin/env bash
# Sourced by the packaging comparison scripts: makes (once) the inputs under benchmarks/target/media and sets
#   CLIP     25 s 1080p25 H.264 (~8 Mbit/s, 2 s GOP, 2 B-frames) + AAC, MPEG-TS, 26.9 MB
#   CLIP_MP4 the same, remuxed to MP4 (faststart)
#   BIG_TS   CLIP looped 40 times (-stream_loop, -c copy, continuous timestamps), MPEG-TS, 1.05 GB
#   BIG_MP4  CLIP looped 40 times, MP4 (faststart), 1.05 GB (LOOPS_MP4=16: the 419 MB input of rounds 5–7)
# The loops make JVM start-up (~0.2 s) a small part of a run, as it is of a real packaging job.
# Env: LOOPS_TS (default 40), LOOPS_MP4 (default 40). Needs ffmpeg.
MEDIA_DIR="${MEDIA_DIR:-benchmarks/target/media}"
CLIP="$MEDIA_DIR/h264_1080p_8M.ts"
CLIP_MP4="$MEDIA_DIR/h264_1080p_8M.mp4"
BIG_TS="$MEDIA_DIR/h264_1080p_8M_x${LOOPS_TS:-40}.ts"
BIG_MP4="$MEDIA_DIR/h264_1080p_8M_x${LOOPS_MP4:-40}.mp4"
mkdir -p "$MEDIA_DIR"
if [[ ! -f "$CLIP" ]]; then
  echo "generating $CLIP (25 s 1080p25, 8 Mbit/s) ..." >&2
  ffmpeg -hide_banner -nostdin -loglevel error -y \
    -f lavfi -i "testsrc2=size=1920x1080:rate=25:duration=25,noise=alls=12:allf=t" \
    -f lavfi -i "sine=frequency=440:sample_rate=48000:duration=25" \
    -c:v libx264 -preset veryfast -profile:v high -g 50 -bf 2 -b:v 8M -maxrate 8M -bufsize 16M -pix_fmt yuv420p \
    -c:a aac -b:a 128k -ac 2 -fflags +bitexact -map_metadata -1 -f mpegts "$CLIP.tmp"
  mv "$CLIP.tmp" "$CLIP"
fi
if [[ ! -f "$CLIP_MP4" ]]; then
  ffmpeg -hide_banner -nostdin -loglevel error -y -i "$CLIP" -map 0 -c copy -bsf:a aac_adtstoasc \
    -movflags +faststart -f mp4 "$CLIP_MP4.tmp"
  mv "$CLIP_MP4.tmp" "$CLIP_MP4"
fi
if [[ ! -f "$BIG_TS" ]]; then
  echo "generating $BIG_TS (clip looped ${LOOPS_TS:-40} times, -c copy) ..." >&2
  ffmpeg -hide_banner -nostdin -loglevel error -y -stream_loop $(( ${LOOPS_TS:-40} - 1 )) -i "$CLIP" -map 0 \
    -c copy -f mpegts "$BIG_TS.tmp"
  mv "$BIG_TS.tmp" "$BIG_TS"
fi
if [[ ! -f "$BIG_MP4" ]]; then
  echo "generating $BIG_MP4 (clip looped ${LOOPS_MP4:-40} times, -c copy) ..." >&2
  # Looped from the MP4 clip (ffmpeg 5.1's aac_adtstoasc filter fails on a looped TS input).
  ffmpeg -hide_banner -nostdin -loglevel error -y -stream_loop $(( ${LOOPS_MP4:-40} - 1 )) -i "$CLIP_MP4" -map 0 \
    -c copy -movflags +faststart -f mp4 "$BIG_MP4.tmp"
  mv "$BIG_MP4.tmp" "$BIG_MP4"
fi
