#!/usr/bin/env bash
# Debian packages the tests need: Chromium (browser tests) and poppler-utils (PDF to PNG).
# Installs only what is missing; does nothing where it cannot (not root, no apt).
set -euo pipefail
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v pdftoppm >/dev/null 2>&1 || missing+=(poppler-utils)
fc-list 2>/dev/null | grep -q DejaVuSans || missing+=(fonts-dejavu-core)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "Missing Debian packages: ${missing[*]} (install them; browser/PDF tests will skip)" >&2
  exit 0
fi
echo "Installing Debian packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
for attempt in 1 2 3; do
  apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}" && exit 0
  echo "apt-get failed (attempt $attempt); retrying" >&2
  sleep 10
done
exit 1
