#!/usr/bin/env bash
# Refresh the front-end libraries vendored into static/vendor/ from the npm registry.
# The files are committed: users run Incident Room on closed networks, with no CDN and
# no npm at run time. Run this only to upgrade, then commit the result.
set -euo pipefail
cd "$(dirname "$0")/.."
SOCKET_IO_CLIENT_VERSION=4.8.4

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "socket.io-client@${SOCKET_IO_CLIENT_VERSION}" >/dev/null && tar xzf ./*.tgz)
target=static/vendor/socket.io-client
mkdir -p "$target"
cp "$work/package/dist/socket.io.esm.min.js" "$work/package/dist/socket.io.esm.min.js.map" "$target/"
cp "$work/package/LICENSE" "$target/LICENSE"
echo "socket.io-client ${SOCKET_IO_CLIENT_VERSION} from the npm registry" > "$target/VERSION"
