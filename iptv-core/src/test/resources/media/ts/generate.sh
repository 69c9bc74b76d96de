#!/usr/bin/env bash
# Regenerates the MPEG-TS test clips in this directory from ffmpeg's synthetic sources (lavfi testsrc2 +
# sine). The clips are committed fixtures: CI does NOT run this script. Re-run it only to change a clip,
# then re-record the golden dumps (mvn ... -Diptv.goldens=update) and review the diff.
#
# Deterministic as far as ffmpeg allows: bitexact flags, no metadata, single-threaded encoders, fixed
# synthetic inputs. Outputs can still differ between ffmpeg/x264/x265 versions (made with ffmpeg 5.1).
#
# Usage: ./generate.sh [clip-name ...]   (no argument: all clips)
set -euo pipefail
cd "$(dirname "$0")"

DUR=3            # seconds per clip
SIZE=320x180
RATE=25

# Common ffmpeg prefix and bit-exact output flags.
FF=(ffmpeg -hide_banner -nostdin -loglevel error -y)
EXACT=(-fflags +bitexact -flags:v +bitexact -flags:a +bitexact -map_metadata -1 -map_chapters -1)

video_src() { # $1 = testsrc2 variant seed offset (changes the picture content)
  echo "testsrc2=size=${SIZE}:rate=${RATE}:duration=${DUR}"
}
audio_src() { # $1 = frequency
  echo "sine=frequency=${1}:sample_rate=48000:duration=${DUR}"
}

# H.264 High, GOP 1 s (25 frames, closed, no scene-cut keyframes), 2 B-frames, single thread.
X264=(-c:v libx264 -profile:v high -preset veryfast -bf 2 -g 25 -keyint_min 25
      -sc_threshold 0 -b:v 300k -maxrate 300k -bufsize 600k -threads 1 -pix_fmt yuv420p
      -x264-params "rc-lookahead=10:sliced-threads=0:bframes=2:b-adapt=0")
AAC=(-c:a aac -profile:a aac_low -b:a 96k -ac 2 -ar 48000)

h264_aac() {
  "${FF[@]}" -f lavfi -i "$(video_src)" -f lavfi -i "$(audio_src 440)" \
    "${X264[@]}" "${AAC[@]}" "${EXACT[@]}" -f mpegts h264_aac.ts
}

h265_ac3() {
  "${FF[@]}" -f lavfi -i "$(video_src)" -f lavfi -i "$(audio_src 523)" \
    -c:v libx265 -preset veryfast -g 25 -keyint_min 25 -b:v 300k -pix_fmt yuv420p \
    -x265-params "pools=1:frame-threads=1:bframes=2:scenecut=0:log-level=error" \
    -c:a ac3 -b:a 192k -ac 6 -ar 48000 "${EXACT[@]}" -f mpegts h265_ac3.ts
}

h264_eac3() {
  "${FF[@]}" -f lavfi -i "$(video_src)" -f lavfi -i "$(audio_src 660)" \
    "${X264[@]}" -c:a eac3 -b:a 128k -ac 2 -ar 48000 "${EXACT[@]}" -f mpegts h264_eac3.ts
}

h264_mp2() {
  "${FF[@]}" -f lavfi -i "$(video_src)" -f lavfi -i "$(audio_src 330)" \
    "${X264[@]}" -c:a mp2 -b:a 128k -ac 2 -ar 48000 "${EXACT[@]}" -f mpegts h264_mp2.ts
}

h264_mp3() {
  "${FF[@]}" -f lavfi -i "$(video_src)" -f lavfi -i "$(audio_src 880)" \
    "${X264[@]}" -c:a libmp3lame -b:a 128k -ac 2 -ar 48000 "${EXACT[@]}" -f mpegts h264_mp3.ts
}

mpeg2_mp2() {
  "${FF[@]}" -f lavfi -i "$(video_src)" -f lavfi -i "$(audio_src 440)" \
    -c:v mpeg2video -g 12 -bf 2 -b:v 400k -maxrate 400k -bufsize 800k -pix_fmt yuv420p -threads 1 \
    -c:a mp2 -b:a 128k -ac 2 -ar 48000 "${EXACT[@]}" -f mpegts mpeg2_mp2.ts
}

# Two programs with different content: program A = testsrc2 + 440 Hz, program B = smptebars + 1 kHz.
two_programs() {
  "${FF[@]}" -f lavfi -i "$(video_src)" -f lavfi -i "$(audio_src 440)" \
    -f lavfi -i "smptebars=size=${SIZE}:rate=${RATE}:duration=${DUR}" -f lavfi -i "$(audio_src 1000)" \
    -map 0:v -map 1:a -map 2:v -map 3:a \
    "${X264[@]}" "${AAC[@]}" "${EXACT[@]}" \
    -program title=A:st=0:st=1 -program title=B:st=2:st=3 -f mpegts two_programs.ts
}

# Raw PTS/DTS wrap past 2^33 about halfway: 2^33 ticks = 95443.717688 s; the muxer adds its own
# 1.4 s start delay, so an offset of 95443.718 - 1.4 - 1.5 puts the wrap ~1.5 s into the clip.
h264_aac_pts_wrap() {
  "${FF[@]}" -f lavfi -i "$(video_src)" -f lavfi -i "$(audio_src 440)" \
    "${X264[@]}" "${AAC[@]}" "${EXACT[@]}" -output_ts_offset 95440.818 -f mpegts h264_aac_pts_wrap.ts
}

# Constant bit rate: null packets (PID 0x1FFF) fill the mux, PCR every 20 ms, often in packets that carry
# only an adaptation field.
h264_aac_cbr() {
  "${FF[@]}" -f lavfi -i "$(video_src)" -f lavfi -i "$(audio_src 440)" \
    "${X264[@]}" "${AAC[@]}" "${EXACT[@]}" -muxrate 600k -pcr_period 20 -f mpegts h264_aac_cbr.ts
}

# One video and three AAC tracks with ISO 639 language descriptors in the PMT.
h264_aac_multilang() {
  "${FF[@]}" -f lavfi -i "$(video_src)" -f lavfi -i "$(audio_src 440)" -f lavfi -i "$(audio_src 550)" \
    -f lavfi -i "$(audio_src 660)" -map 0:v -map 1:a -map 2:a -map 3:a \
    "${X264[@]}" -c:a aac -profile:a aac_low -b:a 64k -ac 2 -ar 48000 "${EXACT[@]}" \
    -metadata:s:a:0 language=eng -metadata:s:a:1 language=deu -metadata:s:a:2 language=fra \
    -f mpegts h264_aac_multilang.ts
}

# 192-byte packets (4-byte TP_extra_header with arrival time stamp before each TS packet), as on Blu-ray.
# Audio is AC-3 because in m2ts mode ffmpeg signals AAC (not allowed on Blu-ray) as stream_type 0x06
# without any descriptor, which a PMT-driven demuxer rightly reports as an unknown private stream.
h264_ac3_m2ts() {
  "${FF[@]}" -f lavfi -i "$(video_src)" -f lavfi -i "$(audio_src 440)" \
    "${X264[@]}" -c:a ac3 -b:a 192k -ac 2 -ar 48000 "${EXACT[@]}" -mpegts_m2ts_mode 1 -f mpegts h264_ac3_m2ts.m2ts
}

ALL=(h264_aac h265_ac3 h264_eac3 h264_mp2 h264_mp3 mpeg2_mp2 two_programs h264_aac_pts_wrap h264_aac_cbr
     h264_aac_multilang h264_ac3_m2ts)
for clip in "${@:-${ALL[@]}}"; do
  echo "generating $clip"
  "$clip"
done
