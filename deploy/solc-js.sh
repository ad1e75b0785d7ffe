#!/usr/bin/env bash
# Forge's `solc` here: forge cannot download a native solc offline, so we run the pinned solc-js.
# - forge first asks `--version` and parses "Version: 0.8.N+commit.HASH...".
# - solcjs fails with EAGAIN on a non-blocking stdin pipe: copy stdin to a file first.
# - solcjs exits before flushing a piped stdout over 64 KiB: write to a file, then print it.
# - solcjs prints a ">>>" line about SMT solvers on stdout: drop it.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
solcjs="$root/node_modules/solc/solc.js"
[ -f "$solcjs" ] || { echo "solc-js not installed: run npm ci in $root" >&2; exit 1; }

if [ "${1:-}" = "--version" ]; then
  v="$(node -e 'process.stdout.write(require(process.argv[1]).version())' "$root/node_modules/solc/index.js")"
  echo "solc, the solidity compiler commandline interface"
  echo "Version: ${v}"
  exit 0
fi

std=0; args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --standard-json) std=1 ;;
    --allow-paths|--base-path|--include-path) args+=("$1" "$2"); shift ;;
    *) args+=("$1") ;;
  esac
  shift
done
[ "$std" = 1 ] || { echo "solc-js.sh: only --standard-json and --version are supported" >&2; exit 2; }

tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
cat > "$tmp/in.json"
base=""; for ((i=0; i<${#args[@]}; i++)); do [ "${args[$i]}" = "--base-path" ] && base="${args[$((i+1))]}"; done
# solc-js's CLI lacks --allow-paths/--include-path for standard JSON; imports resolve from --base-path.
node - "$solcjs" "$tmp/in.json" "$tmp/out.json" "${base:-$PWD}" <<'JS'
const [solcjs, inFile, outFile, base] = process.argv.slice(2);
const fs = require('fs'), path = require('path');
const solc = require(path.join(path.dirname(solcjs), 'index.js'));
const input = fs.readFileSync(inFile, 'utf8');
function findImports(p) {
  for (const cand of [path.resolve(base, p), path.resolve(p)]) {
    try { return { contents: fs.readFileSync(cand, 'utf8') }; } catch (_) {}
  }
  return { error: 'File not found: ' + p };
}
fs.writeFileSync(outFile, solc.compile(input, { import: findImports }));
JS
grep -v '^>>>' "$tmp/out.json" || true
