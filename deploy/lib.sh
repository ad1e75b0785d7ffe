#!/usr/bin/env bash
# Shared setup for deploy/*.sh: installs only what is missing, so a second run is quick.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

log() { printf '==> %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

need_cmd() { command -v "$1" >/dev/null 2>&1 || die "$1 is required but not on PATH ($2)"; }

# Debian packages the project needs to build and run; apt runs only when one is missing.
ensure_apt() {
  local missing=()
  ldconfig -p 2>/dev/null | grep -q 'libsecp256k1\.so\.1 ' || missing+=(libsecp256k1-1)
  # libcrypto.so.3 (OpenSSL 3) verifies P256VERIFY signatures (EIP-7951); .NET needs it on Linux anyway.
  ldconfig -p 2>/dev/null | grep -q 'libcrypto\.so\.3 ' || missing+=(libssl3)
  # as and ld assemble the BLS12-381 field kernels (src/OpenLedger.Crypto/FieldMath/Native) at build time.
  { command -v as && command -v ld; } >/dev/null 2>&1 || missing+=(binutils)
  # python3 runs the kernels' generator in a test that keeps the committed assembly in step with it.
  command -v python3 >/dev/null 2>&1 || missing+=(python3)
  # OpenBLAS's sgemm is the peer of our GEMM in `openledger bench model` (P/Invoke in the benchmark only).
  ldconfig -p 2>/dev/null | grep -q 'libopenblas\.so\.0 ' || missing+=(libopenblas0)
  # llama.cpp's CPU build (LLamaSharp.Backend.Cpu: `bench model`'s peer, the GGUF export test) links OpenMP's runtime.
  ldconfig -p 2>/dev/null | grep -q 'libgomp\.so\.1 ' || missing+=(libgomp1)
  local extra
  for extra in "$@"; do dpkg -s "$extra" >/dev/null 2>&1 || missing+=("$extra"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "installing Debian packages: ${missing[*]}"
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# npm ci when node_modules is absent or older than the lockfile.
ensure_npm() {
  need_cmd node "install Node.js 20+"
  need_cmd npm "install npm"
  local stamp="$ROOT/node_modules/.package-lock.json"
  if [ ! -f "$stamp" ] || [ "$ROOT/package-lock.json" -nt "$stamp" ] || [ ! -x "$ROOT/node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil" ]; then
    log "npm ci (pinned forge, anvil, cast, solc-js, OpenZeppelin, ethers, viem)"
    (cd "$ROOT" && npm ci --no-audit --no-fund --loglevel=error)
  fi
}

# The web app (web/, its own package.json and lockfile): npm ci when its node_modules is absent or older than the
# lockfile; its ABIs come from the forge artifacts, so forge build runs first (incremental: seconds when nothing
# changed); vite builds web/dist only when a source is newer than the last build. The devnet serves web/dist at /app.
build_web() {
  local web="$ROOT/web"
  local stamp="$web/node_modules/.package-lock.json"
  if [ ! -f "$stamp" ] || [ "$web/package-lock.json" -nt "$stamp" ]; then
    log "npm ci --prefix web (web app: React, Vite, viem, playwright-core)"
    npm ci --prefix "$web" --no-audit --no-fund --loglevel=error
  fi
  (cd "$ROOT" && "$ROOT/node_modules/.bin/forge" build --quiet) || die "forge build failed (the web app's ABIs come from its artifacts)"
  (cd "$web" && node scripts/gen-abis.mjs >/dev/null) || die "generating the web app's ABIs failed"
  if [ -f "$web/dist/index.html" ] && [ -z "$(find "$web/src" "$web/index.html" "$web/vite.config.ts" "$web/tsconfig.json" \
      "$web/package-lock.json" -newer "$web/dist/index.html" -print -quit)" ]; then
    return 0
  fi
  log "web app build (tsc, vite) -> web/dist"
  (cd "$web" && npm run build --silent -- --logLevel warn) || die "the web app did not build"
}

# Debian's Chromium for the web app's browser tests (playwright-core drives it; no browser download).
ensure_chromium() {
  ensure_apt chromium
}

ensure_dotnet() {
  need_cmd dotnet "install the .NET 10 SDK"
}

build_dotnet() {
  local config="${1:-Release}"
  log "dotnet build ($config)"
  (cd "$ROOT" && dotnet build OpenLedger.sln -c "$config" -nologo -v quiet -clp:ErrorsOnly)
}

# Consensus fixtures (read-only test data): ../shared/fixtures beside the checkout, or env overrides, or a copy
# fetched once into .fixtures/ at the pinned upstream commits. Without any of them, stop with one line saying how
# to provide them instead of letting ~70 tests fail on a missing folder.
ETHEREUM_TESTS_REPO=https://github.com/ethereum/tests
ETHEREUM_TESTS_COMMIT=4c87ebbf024a3e9ec842bcce90564f629a3bcd82
EEST_REPO=https://github.com/ethereumjs/execution-spec-tests-fixtures
EEST_COMMIT=e07657cc96834161caca8c66f22b79008f9e940a

# fetch_sparse REPO COMMIT DEST PATH...: the named folders of one commit, without history.
fetch_sparse() {
  local repo=$1 commit=$2 dest=$3; shift 3
  local tmp="$dest.partial"
  rm -rf "$tmp" && mkdir -p "$tmp"
  (cd "$tmp" && git init -q && git remote add origin "$repo" && git sparse-checkout set --no-cone "$@" \
    && timeout 900 git fetch -q --depth 1 --filter=blob:none origin "$commit" && git checkout -q FETCH_HEAD) >/dev/null 2>&1 \
    && mv "$tmp" "$dest" || { rm -rf "$tmp"; return 1; }
}

ensure_fixtures() {
  local shared="$ROOT/../shared/fixtures" local_dir="$ROOT/.fixtures"
  if [ -z "${OPENLEDGER_FIXTURES:-}" ]; then
    if [ -d "$shared/ethereum-tests" ]; then export OPENLEDGER_FIXTURES="$shared/ethereum-tests"
    else
      if [ ! -d "$local_dir/ethereum-tests" ]; then
        log "fetching ethereum/tests@${ETHEREUM_TESTS_COMMIT:0:7} (GeneralStateTests, TransactionTests, RLPTests, TrieTests) into .fixtures/"
        mkdir -p "$local_dir"
        fetch_sparse "$ETHEREUM_TESTS_REPO" "$ETHEREUM_TESTS_COMMIT" "$local_dir/ethereum-tests" \
          /GeneralStateTests/ /TransactionTests/ /RLPTests/ /TrieTests/ || fixtures_missing
      fi
      export OPENLEDGER_FIXTURES="$local_dir/ethereum-tests"
    fi
  fi
  if [ -z "${OPENLEDGER_EEST_FIXTURES:-}" ]; then
    if [ -d "$shared/eest-osaka" ]; then export OPENLEDGER_EEST_FIXTURES="$shared/eest-osaka"
    else
      if [ ! -d "$local_dir/eest-osaka" ]; then
        log "fetching execution-spec-tests-fixtures@${EEST_COMMIT:0:7} (fusaka-devnet-5 Osaka state tests) into .fixtures/"
        mkdir -p "$local_dir"
        fetch_sparse "$EEST_REPO" "$EEST_COMMIT" "$local_dir/eest-repo" /fusaka-devnet-5/state_tests/osaka/ || fixtures_missing
        mv "$local_dir/eest-repo/fusaka-devnet-5" "$local_dir/eest-osaka" && rm -rf "$local_dir/eest-repo"
      fi
      export OPENLEDGER_EEST_FIXTURES="$local_dir/eest-osaka"
    fi
  fi
}

fixtures_missing() {
  die "consensus fixtures missing and github.com unreachable: put ethereum/tests@${ETHEREUM_TESTS_COMMIT:0:7} in ../shared/fixtures/ethereum-tests and execution-spec-tests-fixtures@${EEST_COMMIT:0:7}/fusaka-devnet-5 in ../shared/fixtures/eest-osaka, or set OPENLEDGER_FIXTURES and OPENLEDGER_EEST_FIXTURES (README, \"Conformance fixtures\")"
}

# A throwaway PostgreSQL for the tests (the Datanets suite runs on SQLite and on PostgreSQL): installs Debian's
# postgresql when no server binary is found, initdb's a cluster in a temporary directory, starts it on a free loopback
# port and exports OPENLEDGER_TEST_POSTGRES=postgres://postgres@127.0.0.1:PORT/postgres. initdb and postgres refuse to
# run as root, so as root they run as the `postgres` user (created by the Debian package). stop_test_postgres undoes it.
PG_TEST_DIR=""
PG_TEST_BIN=""
pg_as() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
start_test_postgres() {
  PG_TEST_BIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
  if [ -z "$PG_TEST_BIN" ] || [ ! -x "$PG_TEST_BIN/initdb" ]; then
    ensure_apt postgresql
    PG_TEST_BIN="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"
  fi
  [ "$(id -u)" -ne 0 ] || id postgres >/dev/null 2>&1 || die "running as root needs the postgres user (apt-get install postgresql creates it)"
  PG_TEST_DIR="$(mktemp -d /tmp/openledger-pg.XXXXXX)"
  [ "$(id -u)" -ne 0 ] || chown postgres "$PG_TEST_DIR"
  local port
  port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
  pg_as "$PG_TEST_BIN/initdb" -D "$PG_TEST_DIR/data" -U postgres -A trust -E UTF8 --no-locale >"$PG_TEST_DIR/initdb.log" 2>&1 \
    || { cat "$PG_TEST_DIR/initdb.log" >&2; die "initdb failed"; }
  pg_as "$PG_TEST_BIN/pg_ctl" -D "$PG_TEST_DIR/data" -l "$PG_TEST_DIR/server.log" -w -t 60 \
    -o "-p $port -k $PG_TEST_DIR -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" start >/dev/null \
    || { cat "$PG_TEST_DIR/server.log" >&2; die "postgres did not start"; }
  export OPENLEDGER_TEST_POSTGRES="postgres://postgres@127.0.0.1:$port/postgres"
  log "test PostgreSQL on 127.0.0.1:$port ($PG_TEST_DIR)"
}
stop_test_postgres() {
  [ -n "$PG_TEST_DIR" ] || return 0
  pg_as "$PG_TEST_BIN/pg_ctl" -D "$PG_TEST_DIR/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$PG_TEST_DIR"
  PG_TEST_DIR=""
}
