#!/usr/bin/env bash
# Quick start, command 2: install what is missing, then run every test (dotnet test, forge test).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ensure_dotnet
ensure_apt
ensure_npm
ensure_fixtures
ensure_chromium
build_dotnet Release
build_web
cd "$ROOT"

status=0
start_test_postgres
trap stop_test_postgres EXIT
log "dotnet test"
dotnet test OpenLedger.sln -c Release --no-build -nologo -v quiet \
  --logger "console;verbosity=minimal" || status=1

log "forge test"
"$ROOT/node_modules/.bin/forge" test --summary || status=1

log "web app in Chromium (web/tests: a devnet, an injected dev-key wallet; screenshots in web/test-output)"
npm test --prefix "$ROOT/web" --silent || status=1

if [ "$status" -ne 0 ]; then
  echo "test.sh: FAILED" >&2
  exit 1
fi
echo "test.sh: all test runners passed"
