#!/usr/bin/env bash
# Compares `iptv.jar serve` with nginx serving the same files, in the same run, with wrk (loopback only).
#   benchmarks/scripts/serve-vs-nginx.sh            (needs: apt-get install -y nginx wrk; iptv-examples/target/iptv.jar)
# Env: DURATION (s, default 10), CONNECTIONS (default 64), THREADS (wrk threads, default 2),
#      SEGMENT_BYTES (default 2621440), IPTV_SERVE_ARGS (extra serve flags, e.g. "--server jdk" for the JDK adapter),
#      IPTV_CMD (default "java -jar iptv-examples/target/iptv.jar").
# Targets (issue 6): playlist req/s >= 1.0x nginx; segment bytes/s >= 0.9x nginx.
set -euo pipefail
cd "$(dirname "$0")/../.."
DURATION=${DURATION:-10}; CONNECTIONS=${CONNECTIONS:-64}; THREADS=${THREADS:-2}
SEGMENT_BYTES=${SEGMENT_BYTES:-2621440}
IPTV_CMD=${IPTV_CMD:-"java -jar iptv-examples/target/iptv.jar"}
command -v wrk >/dev/null || { echo "wrk missing (apt-get install -y wrk)"; exit 2; }
NGINX=$(command -v nginx || echo /usr/sbin/nginx); [ -x "$NGINX" ] || { echo "nginx missing"; exit 2; }

WORK=$(mktemp -d); trap 'kill $IPTV_PID $NGINX_PID 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$WORK"' EXIT
mkdir -p "$WORK/www/news" "$WORK/nginx/logs"
printf '#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:4\n#EXT-X-MEDIA-SEQUENCE:100\n' > "$WORK/www/news/index.m3u8"
for i in $(seq 100 105); do printf '#EXTINF:4.000,\nseg-%d.ts\n' "$i" >> "$WORK/www/news/index.m3u8"; done
head -c "$SEGMENT_BYTES" /dev/urandom > "$WORK/www/news/seg-100.ts"
chmod -R a+rX "$WORK"   # nginx workers run as another user when started by root

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
NGINX_PORT=$(free_port); IPTV_PORT=$(free_port)
cat > "$WORK/nginx/nginx.conf" <<CONF
daemon off; master_process on; worker_processes auto; pid $WORK/nginx/nginx.pid; error_log $WORK/nginx/logs/error.log warn;
events { worker_connections 4096; }
http {
  access_log off; sendfile on; tcp_nopush on; tcp_nodelay on; keepalive_requests 1000000;
  types { application/vnd.apple.mpegurl m3u8; video/mp2t ts; }
  client_body_temp_path $WORK/nginx/t1; proxy_temp_path $WORK/nginx/t2; fastcgi_temp_path $WORK/nginx/t3;
  uwsgi_temp_path $WORK/nginx/t4; scgi_temp_path $WORK/nginx/t5;
  server { listen 127.0.0.1:$NGINX_PORT; root $WORK/www; etag on; }
}
CONF
"$NGINX" -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" & NGINX_PID=$!
$IPTV_CMD serve --port "$IPTV_PORT" --dir "news=$WORK/www/news" ${IPTV_SERVE_ARGS:-} >"$WORK/iptv.log" 2>&1 & IPTV_PID=$!
for port in $NGINX_PORT $IPTV_PORT; do
  for _ in $(seq 100); do curl -sf -o /dev/null "http://127.0.0.1:$port/news/index.m3u8" && break; sleep 0.1; done
  for p in /news/index.m3u8 /news/seg-100.ts; do
    curl -sf -o /dev/null "http://127.0.0.1:$port$p" || { echo "GET $p on port $port failed"; exit 1; }
  done
done

run() { # $1 port $2 path -> "req/s bytes/s"
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency "http://127.0.0.1:$1$2" > "$WORK/wrk.txt"
  if grep -q 'Non-2xx' "$WORK/wrk.txt"; then echo "non-2xx answers from port $1 $2" >&2; cat "$WORK/wrk.txt" >&2; exit 1; fi
  awk '/Requests\/sec/ {r=$2} /Transfer\/sec/ {t=$2; u=t; gsub(/[0-9.]/,"",u); v=t+0;
       m=(u=="GB")?1073741824:(u=="MB")?1048576:(u=="KB")?1024:1; b=v*m} END {printf "%.0f %.0f\n", r, b}' "$WORK/wrk.txt"
}
warm() { wrk -t1 -c8 -d3s "http://127.0.0.1:$1$2" >/dev/null; }
for p in /news/index.m3u8 /news/seg-100.ts; do warm "$IPTV_PORT" "$p"; warm "$NGINX_PORT" "$p"; done

read -r N_PL_R N_PL_B < <(run "$NGINX_PORT" /news/index.m3u8)
read -r I_PL_R I_PL_B < <(run "$IPTV_PORT" /news/index.m3u8)
read -r N_SEG_R N_SEG_B < <(run "$NGINX_PORT" /news/seg-100.ts)
read -r I_SEG_R I_SEG_B < <(run "$IPTV_PORT" /news/seg-100.ts)
ratio() { python3 -c "print(f'{$1/$2:.2f}')"; }
printf '%-28s %14s %14s %8s\n' "wrk -t$THREADS -c$CONNECTIONS ${DURATION}s" nginx iptv ratio
printf '%-28s %14s %14s %8s\n' "playlist req/s" "$N_PL_R" "$I_PL_R" "$(ratio "$I_PL_R" "$N_PL_R")"
printf '%-28s %14s %14s %8s\n' "segment ($SEGMENT_BYTES B) MiB/s" "$((N_SEG_B/1048576))" "$((I_SEG_B/1048576))" "$(ratio "$I_SEG_B" "$N_SEG_B")"
