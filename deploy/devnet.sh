#!/usr/bin/env bash
# Quick start, command 1: install what is missing, build, run `openledger devnet`.
# Ctrl-C stops the devnet and everything it started.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ensure_dotnet
ensure_apt
ensure_npm
build_dotnet Release
build_web
cd "$ROOT"
# exec: the node receives Ctrl-C directly and stops its children; no shell left behind.
exec dotnet "$ROOT/src/OpenLedger.Node/bin/Release/net10.0/openledger.dll" devnet "$@"
