#!/usr/bin/env bash
# Serve Incident Room with N workers on consecutive ports (docs/deploy.md):
#   DATABASE_URL=postgresql://... SOCKETIO_MESSAGE_QUEUE=redis://... SECRET_KEY=... \
#     scripts/serve-workers.sh 4            # ports 5000-5003; BASE_PORT=8000 HOST=0.0.0.0 to change
set -euo pipefail
cd "$(dirname "$0")/.."
exec "${PYTHON:-.venv/bin/python}" -m incident_room.workers \
  --workers "${1:-4}" --host "${HOST:-127.0.0.1}" --base-port "${BASE_PORT:-5000}"
