// Starts `openledger devnet` for the browser tests on free ports (plain L2 with dev methods, so the tests can move
// both chains' clocks), waits for it to print that it runs, and stops it (SIGTERM: it stops its L2 and anvil).
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export async function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => resolve(p)); });
  });
}

/** rollup: false = a plain L2 with dev methods, sealing per transaction; true = the rollup devnet with its bridge. args: more devnet flags. */
export async function startDevnet(root, { timeoutMs = 240_000, rollup = false, args = [] } = {}) {
  const dll = process.env.OPENLEDGER_DLL ?? join(root, 'src/OpenLedger.Node/bin/Release/net10.0/openledger.dll');
  if (!existsSync(dll)) throw new Error(`${dll} is missing: build the node first (dotnet build src/OpenLedger.Node -c Release)`);
  const [l1, l2, api] = [await freePort(), await freePort(), await freePort()];
  const mode = rollup ? ['--block-time-ms', '1000', '--replica-port', String(await freePort())] : ['--no-rollup', '--block-time-ms', '0'];
  const proc = spawn('dotnet', [dll, 'devnet', ...mode, '--l1-port', String(l1), '--l2-port', String(l2), '--api-port', String(api), ...args],
    { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  proc.stdout.on('data', (d) => { log += d; });
  proc.stderr.on('data', (d) => { log += d; });
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`devnet did not start within ${timeoutMs / 1000} s:\n${log}`)), timeoutMs);
    const check = () => {
      if (log.includes('Press Ctrl-C to stop.')) { clearTimeout(timer); resolve(); }
    };
    proc.stdout.on('data', check);
    proc.once('exit', (code) => { clearTimeout(timer); reject(new Error(`devnet exited with ${code}:\n${log}`)); });
  });
  const m = log.match(/Web app: (http:\/\/\S+\/app\/)/);
  if (!m) throw new Error(`the devnet does not serve the web app:\n${log}`);
  return {
    appUrl: m[1], l1Rpc: `http://127.0.0.1:${l1}`, l2Rpc: `http://127.0.0.1:${l2}`, apiUrl: `http://127.0.0.1:${api}`,
    log: () => log,
    async stop() {
      if (proc.exitCode !== null) return;
      const exited = new Promise((r) => proc.once('exit', r));
      proc.kill('SIGTERM');
      const t = setTimeout(() => proc.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(t);
    },
  };
}
