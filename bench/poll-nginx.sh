#!/usr/bin/env bash
# Serves WORK/www on 0.0.0.0:PORT with nginx (static files, ETag and Last-Modified on, no access
# log), its pid in WORK/nginx.pid: the server of the polling benchmarks
# (bench/poll-vs-newsboat.sh, bench/poll-profile.sh), which stop it by that pid.
#
#   bash bench/poll-nginx.sh WORK PORT
set -euo pipefail
WORK=$1
PORT=$2
cat >"$WORK/nginx.conf" <<NGINX
worker_processes 2;
pid $WORK/nginx.pid;
error_log $WORK/nginx-error.log;
events { worker_connections 4096; }
http {
    access_log off;
    types { application/rss+xml xml; }
    server {
        listen 0.0.0.0:$PORT;
        root $WORK/www;
        etag on;
        keepalive_requests 100000;
    }
}
NGINX
nginx -c "$WORK/nginx.conf"
