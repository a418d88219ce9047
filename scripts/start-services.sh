#!/usr/bin/env bash
# Start the local PostgreSQL and Redis the tests use, if they are installed but stopped.
# A server that is still not answering fails the run here, before any test, with the reason;
# SKIP_SERVICE_TESTS=1 (a quick local run) goes on, and the tests that need it are skipped.
set -uo pipefail
pg_up() { pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; }
redis_up() { redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null | grep -q PONG; }

if ! pg_up && command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
  echo "Starting PostgreSQL"
  for version in $(ls /etc/postgresql); do
    pg_ctlcluster --skip-systemctl-redirect "$version" main start 2>&1 || true
  done
  for _ in $(seq 1 30); do pg_up && break; sleep 1; done
fi
if pg_up && command -v psql >/dev/null 2>&1; then
  psql -h 127.0.0.1 -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='test'" 2>/dev/null \
    | grep -q 1 || psql -h 127.0.0.1 -U postgres -c "CREATE DATABASE test" >/dev/null 2>&1 || true
fi
if ! redis_up && command -v redis-server >/dev/null 2>&1; then
  echo "Starting Redis"
  mkdir -p /var/lib/redis /var/log/redis 2>/dev/null || true
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/ci.log 2>&1 || true
  for _ in $(seq 1 20); do redis_up && break; sleep 0.5; done
fi
missing=0
pg_up && echo "PostgreSQL: up" || { echo "PostgreSQL: not available on 127.0.0.1:5432"; missing=1; }
redis_up && echo "Redis: up" || { echo "Redis: not available on 127.0.0.1:6379"; missing=1; }
if [ "$missing" = 1 ] && [ "${SKIP_SERVICE_TESTS:-}" != 1 ]; then
  echo "The tests need PostgreSQL and Redis running (install them: see README);" \
    "SKIP_SERVICE_TESTS=1 skips the tests that need them" >&2
  exit 1
fi
exit 0
