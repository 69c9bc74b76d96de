#!/bin/sh
# Regenerates demo-clip.ts, the clip that `iptv demo` loops as its live channel and packages as its VOD title.
# 8 s of ffmpeg's test pattern (640x360, 25 fps, H.264 Main, no B-frames) and a 1 kHz tone (AAC-LC, 48 kHz).
# Keyframe every 50 frames (2 s), so the demo's 2 s segments (and any multiple) always start on a keyframe;
# 8 s is exactly 200 video frames and 375 AAC frames, so the loop re-timed by 8 s continues seamlessly.
# Usage (from this directory): sh make-demo-clip.sh   (needs ffmpeg 5+ with libx264)
set -eu
ffmpeg -nostdin -v error -y \
  -f lavfi -i "testsrc2=size=640x360:rate=25:duration=8" \
  -f lavfi -i "sine=frequency=1000:sample_rate=48000:duration=8" \
  -c:v libx264 -preset medium -profile:v main -pix_fmt yuv420p -bf 0 \
  -g 50 -keyint_min 50 -sc_threshold 0 -b:v 600k -maxrate 700k -bufsize 1400k \
  -c:a aac -b:a 64k -ac 2 \
  -metadata title="iptv demo clip" -muxdelay 0 -muxpreload 0 \
  -f mpegts demo-clip.ts
