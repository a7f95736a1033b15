#!/usr/bin/env bash
# Run a command under a pinned Node major: scripts/tools/node/with.sh <major> <command...>
#   scripts/tools/node/with.sh 24 npm test
# Fetches the binary if needed (scripts/tools/node/fetch.sh), puts its bin folder first on PATH,
# prints `node -v` to stderr, then runs the command.
set -euo pipefail
if [ $# -lt 2 ]; then
  echo "usage: $0 <major> <command...>" >&2
  exit 2
fi
major=$1
shift
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
bash "$here/fetch.sh" "$major"
bindir="$(cd "$here/../../.." && pwd)/.cache/node/$major/package/bin"
export PATH="$bindir:$PATH"
echo "node $(node -v) ($bindir/node)" >&2
exec "$@"
