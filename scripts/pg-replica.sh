#!/usr/bin/env bash
# A streaming replica of the local PostgreSQL, for the read-replica router (issue 19).
#
#   scripts/pg-replica.sh start   take a fresh base backup (pg_basebackup -R) of the primary
#                                 and run it as a hot standby; already running → nothing to do
#   scripts/pg-replica.sh stop    stop it (the data directory is rebuilt by the next start)
#   scripts/pg-replica.sh status  running, in recovery, and how far behind; exit 1 if not
#   scripts/pg-replica.sh allow   add the two pg_hba.conf lines a replication connection from
#                                 this machine needs, if missing, and reload the primary
#
# Environment: XIAOAN_REPLICA_DIR (/tmp/xiaoan-replica), XIAOAN_REPLICA_PORT (5433),
# XIAOAN_PRIMARY_HOST (127.0.0.1), XIAOAN_PRIMARY_PORT (5432). The primary is reached as the
# superuser postgres with trust authentication, as on a development machine or CI.
set -euo pipefail

DIR="${XIAOAN_REPLICA_DIR:-/tmp/xiaoan-replica}"
DATA="$DIR/data"
LOG="$DIR/replica.log"
PORT="${XIAOAN_REPLICA_PORT:-5433}"
PRIMARY_HOST="${XIAOAN_PRIMARY_HOST:-127.0.0.1}"
PRIMARY_PORT="${XIAOAN_PRIMARY_PORT:-5432}"
HBA_MARK="# xiaoan: streaming replica from this machine (scripts/pg-replica.sh allow)"

die() { echo "pg-replica: $*" >&2; exit 1; }
say() { echo "pg-replica: $*"; }

[ -d /etc/postgresql ] || die "未找到 /etc/postgresql：需要 Debian 的 PostgreSQL 软件包"
VERSION="$(ls /etc/postgresql | sort -V | tail -n 1)"
BIN="/usr/lib/postgresql/$VERSION/bin"
[ -x "$BIN/pg_basebackup" ] || die "未找到 $BIN/pg_basebackup"

# initdb, pg_ctl and the server refuse root: run them as postgres when we are root.
as_pg() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

primary() { # psql against the primary, as postgres
  "$BIN/psql" "host=$PRIMARY_HOST port=$PRIMARY_PORT user=postgres dbname=postgres" \
    -XAtq -v ON_ERROR_STOP=1 "$@"
}

replica() {
  "$BIN/psql" "host=127.0.0.1 port=$PORT user=postgres dbname=postgres connect_timeout=2" \
    -XAtq "$@"
}

running() { [ -f "$DATA/postmaster.pid" ] && as_pg "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; }

in_recovery() { [ "$(replica -c 'select pg_is_in_recovery()' 2>/dev/null)" = "t" ]; }

wait_ready() {
  for _ in $(seq 1 60); do
    in_recovery && return 0
    sleep 1
  done
  tail -n 20 "$LOG" >&2 || true
  die "副本在 60 秒内未能以只读恢复模式接受连接（日志：$LOG）"
}

check_primary() {
  primary -c "select 1" >/dev/null 2>&1 \
    || die "无法以 postgres 用户连接主库 $PRIMARY_HOST:$PRIMARY_PORT（需要本机 trust 认证）"
  local level
  level="$(primary -c 'show wal_level')"
  [ "$level" != "minimal" ] || die "主库 wal_level=minimal，流复制需要 replica 或 logical"
  # A replication connection is matched only by pg_hba lines naming `replication`, never `all`.
  if ! "$BIN/psql" "host=$PRIMARY_HOST port=$PRIMARY_PORT user=postgres replication=true" \
    -XAtq -c "IDENTIFY_SYSTEM" >/dev/null 2>&1; then
    die "主库不允许来自 $PRIMARY_HOST 的复制连接（pg_hba.conf 缺少 replication 行）。
  请在 $(primary -c 'show hba_file') 中加入：
    host replication postgres 127.0.0.1/32 trust
  然后重新加载主库；或以 root 运行：scripts/pg-replica.sh allow"
  fi
}

start() {
  mkdir -p "$DIR"
  [ "$(id -u)" -ne 0 ] || chown postgres: "$DIR"
  if running; then
    wait_ready
    say "已在运行（127.0.0.1:$PORT，只读副本）"
    return 0
  fi
  check_primary
  # A stopped replica may have missed WAL the primary has since recycled (no slot is kept, so
  # a forgotten replica never fills the primary's disk): always start from a fresh backup.
  rm -rf "$DATA"
  say "从 $PRIMARY_HOST:$PRIMARY_PORT 做基础备份到 $DATA"
  as_pg "$BIN/pg_basebackup" -h "$PRIMARY_HOST" -p "$PRIMARY_PORT" -U postgres -w \
    -D "$DATA" -R -X stream -c fast --no-sync
  # Debian keeps the configuration outside the data directory, so the backup has none. A hot
  # standby needs these limits at least as high as the primary's.
  local limits=""
  for name in max_connections max_worker_processes max_wal_senders \
    max_prepared_transactions max_locks_per_transaction; do
    limits+="$name = $(primary -c "show $name")"$'\n'
  done
  as_pg tee "$DATA/postgresql.conf" >/dev/null <<EOF
# Written by scripts/pg-replica.sh: a hot standby of $PRIMARY_HOST:$PRIMARY_PORT.
port = $PORT
listen_addresses = '127.0.0.1'
unix_socket_directories = '$DIR'
hot_standby = on
# A scratch copy rebuilt by every start: durability would only cost minutes of fsync.
fsync = off
ssl = off
logging_collector = off
$limits
EOF
  as_pg tee "$DATA/pg_hba.conf" >/dev/null <<EOF
local all all trust
host all all 127.0.0.1/32 trust
host all all ::1/128 trust
EOF
  as_pg touch "$DATA/pg_ident.conf"
  # 9>&-: the server must not inherit (and hold forever) the lock of this script.
  as_pg "$BIN/pg_ctl" -D "$DATA" -l "$LOG" -w -t 60 start >/dev/null 9>&- \
    || { tail -n 20 "$LOG" >&2 || true; die "副本启动失败（日志：$LOG）"; }
  wait_ready
  say "已启动：postgres://postgres@127.0.0.1:$PORT/postgres（只读副本）"
}

stop() {
  if running; then
    as_pg "$BIN/pg_ctl" -D "$DATA" -m fast -w stop >/dev/null
    say "已停止"
  else
    say "未在运行"
  fi
}

status() {
  if ! running; then
    say "未在运行"
    return 1
  fi
  if ! in_recovery; then
    say "在运行，但不在恢复模式（不是副本）"
    return 1
  fi
  # Behind by the WAL the primary has written and the replica has not replayed yet (an idle
  # primary writes nothing, so a time since the last replayed commit would mislead).
  local lsn
  lsn="$(primary -c 'select pg_current_wal_lsn()' 2>/dev/null || true)"
  say "在运行：127.0.0.1:$PORT，只读副本；落后主库 $([ -n "$lsn" ] && replica -c \
    "select greatest(pg_wal_lsn_diff('$lsn', pg_last_wal_replay_lsn()), 0)::bigint" \
    || echo '?') 字节 WAL"
}

allow() {
  local hba
  hba="$(primary -c 'show hba_file')"
  if grep -qF "$HBA_MARK" "$hba"; then
    say "$hba 已含复制行"
  else
    [ -w "$hba" ] || die "无权写入 $hba（请以 root 运行）"
    printf '\n%s\nlocal replication postgres trust\nhost replication postgres 127.0.0.1/32 trust\n' \
      "$HBA_MARK" >>"$hba"
    say "已在 $hba 末尾加入两行 replication 规则"
  fi
  primary -c "select pg_reload_conf()" >/dev/null
}

# One start at a time: CI and a cluster script may both ask for the replica.
locked() {
  mkdir -p "$DIR"
  exec 9>"$DIR.lock"
  flock -w 120 9 || die "另一个 pg-replica.sh 未在 120 秒内结束"
  "$@"
}

case "${1:-}" in
  start) locked start ;;
  stop) locked stop ;;
  status) status ;;
  allow) allow ;;
  *) echo "用法：$0 start|stop|status|allow" >&2; exit 2 ;;
esac
