// End-to-end check of an OpenLedger L2 node with ethers 6 (pinned in package.json).
// Usage: node tests/js/ethers-e2e.mjs <http-url> <ws-url> <private-key> <E2EProbe artifact json> <chain id>
// Exits 0 when every step passes; otherwise prints the failing step and exits 1.
import { readFileSync } from "node:fs";
import { ethers } from "ethers";

const [httpUrl, wsUrl, key, artifactPath, chainIdText] = process.argv.slice(2);
if (!chainIdText) {
  console.error("usage: ethers-e2e.mjs <http-url> <ws-url> <private-key> <artifact> <chain-id>");
  process.exit(2);
}
const expectedChainId = BigInt(chainIdText);
let step = "start";
const check = (cond, msg) => { if (!cond) throw new Error(msg); };
const withTimeout = (p, ms, what) => Promise.race([p, new Promise((_, rej) => setTimeout(() => rej(new Error(`timed out after ${ms} ms: ${what}`)), ms))]);

const http = new ethers.JsonRpcProvider(httpUrl, undefined, { staticNetwork: true, polling: true, pollingInterval: 100 });
const ws = new ethers.WebSocketProvider(wsUrl);
try {
  step = "network";
  const net = await http.getNetwork();
  check(net.chainId === expectedChainId, `chainId ${net.chainId}, expected ${expectedChainId}`);
  const wallet = new ethers.Wallet(key, http);
  const me = await wallet.getAddress();

  step = "subscribe newHeads over WebSocket";
  const heads = [];
  let resolveHead;
  const gotHead = new Promise((r) => { resolveHead = r; });
  await ws.on("block", (n) => { heads.push(n); resolveHead(n); });

  step = "deploy E2EProbe";
  const artifact = JSON.parse(readFileSync(artifactPath, "utf8"));
  const factory = new ethers.ContractFactory(artifact.abi, artifact.bytecode.object, wallet);
  const probe = await factory.deploy();
  const deployTx = probe.deploymentTransaction();
  check(deployTx.type === 2, `deployment tx type ${deployTx.type}, expected 2 (EIP-1559)`);
  await probe.waitForDeployment();
  const probeAddress = await probe.getAddress();
  check((await http.getCode(probeAddress)).length > 2, "no code at the deployed address");

  step = "EIP-1559 transfers";
  const to = ethers.Wallet.createRandom().address;
  const fee = await http.getFeeData();
  check(fee.maxFeePerGas > 0n && fee.maxPriorityFeePerGas > 0n, `fee data ${JSON.stringify(fee, (_, v) => typeof v === "bigint" ? v.toString() : v)}`);
  // Nonces are tracked here: ethers caches identical provider calls for 250 ms, so asking for the
  // "pending" count right after the previous transaction was mined (instant sealing) can repeat a stale answer.
  let nonce = deployTx.nonce + 1;
  const sent = [];
  for (let i = 0; i < 3; i++) {
    sent.push(await wallet.sendTransaction({ to, value: ethers.parseEther("0.01"), type: 2, nonce: nonce++ }));
  }
  for (const tx of sent) {
    const r = await tx.wait(1, 20_000);
    check(r.status === 1, `transfer ${tx.hash} status ${r.status}`);
    check(r.type === 2, `receipt type ${r.type}`);
    check(r.gasUsed === 21000n, `transfer gasUsed ${r.gasUsed}`);
  }
  const bal = await http.getBalance(to);
  check(bal === ethers.parseEther("0.03"), `recipient balance ${bal}, expected 0.03 ether`);

  step = "contract writes with events";
  const before = await http.getBlockNumber();
  for (let i = 1; i <= 3; i++) {
    const r = await (await probe.store(i, 100n * BigInt(i), { nonce: nonce++ })).wait(1, 20_000);
    check(r.status === 1 && r.logs.length === 1, `store(${i}) status ${r.status}, logs ${r.logs.length}`);
  }
  check((await probe.count()) === 3n, "count() != 3 after three stores");
  check((await probe.values(2)) === 200n, "values(2) != 200");

  step = "eth_getLogs";
  const topic = probe.interface.getEvent("Stored").topicHash;
  const logs = await http.getLogs({ address: probeAddress, topics: [topic], fromBlock: before, toBlock: "latest" });
  check(logs.length === 3, `getLogs returned ${logs.length} logs, expected 3`);
  const parsed = logs.map((l) => probe.interface.parseLog(l));
  check(parsed.every((p, i) => p.args.by === me && p.args.slot === BigInt(i + 1) && p.args.value === BigInt(100 * (i + 1))), "decoded Stored args do not match");
  const bySlot = await http.getLogs({ address: probeAddress, topics: [topic, null, ethers.zeroPadValue("0x02", 32)], fromBlock: 0 });
  check(bySlot.length === 1, `topic-filtered getLogs returned ${bySlot.length}, expected 1`);

  step = "contract.queryFilter";
  const q = await probe.queryFilter(probe.filters.Stored(me), 0, "latest");
  check(q.length === 3 && q[2].args.value === 300n, `queryFilter returned ${q.length} events`);
  const block = await http.getBlock(q[0].blockNumber);
  check(block.hash === q[0].blockHash, "event blockHash differs from the block's hash");

  step = "newHeads notification";
  // One more transaction guarantees a new head after the subscription is active.
  await (await wallet.sendTransaction({ to, value: 1n, nonce: nonce++ })).wait(1, 20_000);
  const n = await withTimeout(gotHead, 15_000, "newHeads notification");
  check(typeof n === "number" && n > 0, `block event ${n}`);
  const wsBlock = await ws.getBlockNumber();
  check(wsBlock >= n, `ws eth_blockNumber ${wsBlock} < notified ${n}`);

  console.log(`ethers e2e ok: probe ${probeAddress}, ${sent.length} transfers, ${logs.length} logs, heads seen ${heads.join(",")}`);
  await ws.destroy();
  http.destroy();
  process.exit(0);
} catch (e) {
  console.error(`ethers e2e FAILED at step "${step}": ${e?.shortMessage ?? e?.message ?? e}`);
  if (e?.info) console.error(JSON.stringify(e.info, (_, v) => typeof v === "bigint" ? v.toString() : v));
  process.exit(1);
}
