#!/usr/bin/env bash
# Serve xiaoan on 127.0.0.1:8000 together with the job worker; Ctrl-C stops both.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
"$BIN/xiaoan" run_huey --quiet &
worker=$!
trap 'kill "$worker" 2>/dev/null || true' EXIT INT TERM
"$BIN/xiaoan" runserver "${XIAOAN_BIND:-127.0.0.1:8000}"
