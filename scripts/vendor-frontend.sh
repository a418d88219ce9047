#!/usr/bin/env bash
# Refresh the front-end libraries vendored into static/vendor/ from the npm registry.
# The files are committed: users run Incident Room on closed networks, with no CDN and
# no npm at run time. Run this only to upgrade, then commit the result.
set -euo pipefail
cd "$(dirname "$0")/.."
SOCKET_IO_CLIENT_VERSION=4.8.4
YJS_VERSION=13.6.33
# The newest lib0 that yjs's range (^0.2.99) allows when this was written; pinned so a
# refresh of the same versions gives the same files.
LIB0_VERSION=0.2.120

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# unpack NAME VERSION: `npm pack` the package into $work/NAME (its published tarball).
unpack() {
  mkdir -p "$work/$1.tgz.d"
  (cd "$work/$1.tgz.d" && npm pack --silent "$1@$2" >/dev/null && tar xzf ./*.tgz && mv package "$work/$1")
}

# stamp NAME VERSION: the LICENSE and a VERSION file next to the vendored code.
stamp() {
  cp "$work/$1/LICENSE" "static/vendor/$1/LICENSE"
  echo "$1 $2 from the npm registry" > "static/vendor/$1/VERSION"
}

unpack socket.io-client "$SOCKET_IO_CLIENT_VERSION"
target=static/vendor/socket.io-client
mkdir -p "$target"
cp "$work/socket.io-client/dist/socket.io.esm.min.js" "$work/socket.io-client/dist/socket.io.esm.min.js.map" "$target/"
stamp socket.io-client "$SOCKET_IO_CLIENT_VERSION"

# Yjs (live text, docs/protocol-live-text.md): its ES module build and the lib0 modules it
# imports, and only those, with bare specifiers rewritten to relative paths.
unpack yjs "$YJS_VERSION"
unpack lib0 "$LIB0_VERSION"
rm -rf static/vendor/yjs static/vendor/lib0
node scripts/vendor-esm.mjs static/vendor yjs dist/yjs.mjs "$work/yjs" "$work/lib0" >/dev/null
stamp yjs "$YJS_VERSION"
stamp lib0 "$LIB0_VERSION"
