// End-to-end check of an OpenLedger L2 node with viem 2 (pinned in package.json).
// Usage: node tests/js/viem-e2e.mjs <http-url> <ws-url> <private-key> <E2EProbe artifact json> <chain id>
// Exits 0 when every step passes; otherwise prints the failing step and exits 1.
import { readFileSync } from "node:fs";
import { createPublicClient, createWalletClient, defineChain, http, webSocket, parseEther, getAddress, parseAbiItem } from "viem";
import { privateKeyToAccount, generatePrivateKey } from "viem/accounts";

const [httpUrl, wsUrl, key, artifactPath, chainIdText] = process.argv.slice(2);
if (!chainIdText) {
  console.error("usage: viem-e2e.mjs <http-url> <ws-url> <private-key> <artifact> <chain-id>");
  process.exit(2);
}
let step = "start";
const check = (cond, msg) => { if (!cond) throw new Error(msg); };
const withTimeout = (p, ms, what) => Promise.race([p, new Promise((_, rej) => setTimeout(() => rej(new Error(`timed out after ${ms} ms: ${what}`)), ms))]);

const openledger = defineChain({
  id: Number(chainIdText),
  name: "OpenLedger devnet",
  nativeCurrency: { name: "OPEN", symbol: "OPEN", decimals: 18 },
  rpcUrls: { default: { http: [httpUrl], webSocket: [wsUrl] } },
});
const account = privateKeyToAccount(key);
const pub = createPublicClient({ chain: openledger, transport: http(httpUrl), pollingInterval: 100 });
const wsClient = createPublicClient({ chain: openledger, transport: webSocket(wsUrl) });
const wallet = createWalletClient({ account, chain: openledger, transport: http(httpUrl) });
let unwatch = () => {};
try {
  step = "chain id";
  const id = await pub.getChainId();
  check(id === openledger.id, `eth_chainId ${id}, expected ${openledger.id}`);

  step = "watchBlocks over WebSocket";
  const seen = [];
  let resolveBlock;
  const gotBlock = new Promise((r) => { resolveBlock = r; });
  let watchError = null;
  unwatch = wsClient.watchBlocks({
    onBlock: (b) => { seen.push(b.number); resolveBlock(b); },
    onError: (e) => { watchError = e; },
  });

  step = "deploy E2EProbe";
  const artifact = JSON.parse(readFileSync(artifactPath, "utf8"));
  const deployHash = await wallet.deployContract({ abi: artifact.abi, bytecode: artifact.bytecode.object });
  const deployReceipt = await pub.waitForTransactionReceipt({ hash: deployHash, timeout: 20_000 });
  check(deployReceipt.status === "success", `deployment status ${deployReceipt.status}`);
  check(deployReceipt.type === "eip1559", `deployment type ${deployReceipt.type}`);
  const probe = getAddress(deployReceipt.contractAddress);
  const deployTx = await pub.getTransaction({ hash: deployHash });
  let nonce = deployTx.nonce + 1;

  step = "EIP-1559 transfers";
  const to = privateKeyToAccount(generatePrivateKey()).address;
  const fees = await pub.estimateFeesPerGas();
  check(fees.maxFeePerGas > 0n && fees.maxPriorityFeePerGas > 0n, `estimateFeesPerGas ${fees.maxFeePerGas} / ${fees.maxPriorityFeePerGas}`);
  const hashes = [];
  for (let i = 0; i < 3; i++) hashes.push(await wallet.sendTransaction({ to, value: parseEther("0.02"), type: "eip1559", nonce: nonce++ }));
  for (const hash of hashes) {
    const r = await pub.waitForTransactionReceipt({ hash, timeout: 20_000 });
    check(r.status === "success" && r.gasUsed === 21000n, `transfer ${hash}: status ${r.status}, gasUsed ${r.gasUsed}`);
  }
  const bal = await pub.getBalance({ address: to });
  check(bal === parseEther("0.06"), `recipient balance ${bal}, expected 0.06 ether`);

  step = "contract writes with events";
  const from = await pub.getBlockNumber();
  for (let i = 1n; i <= 3n; i++) {
    const { request } = await pub.simulateContract({ account, address: probe, abi: artifact.abi, functionName: "store", args: [i, 7n * i], nonce: nonce++ });
    const r = await pub.waitForTransactionReceipt({ hash: await wallet.writeContract(request), timeout: 20_000 });
    check(r.status === "success" && r.logs.length === 1, `store(${i}): status ${r.status}, logs ${r.logs.length}`);
  }
  const count = await pub.readContract({ address: probe, abi: artifact.abi, functionName: "count" });
  check(count === 3n, `count() ${count}, expected 3`);

  step = "getLogs";
  const event = parseAbiItem("event Stored(address indexed by, uint256 indexed slot, uint256 value)");
  const logs = await pub.getLogs({ address: probe, event, fromBlock: from, toBlock: "latest" });
  check(logs.length === 3, `getLogs returned ${logs.length}, expected 3`);
  check(logs.every((l, i) => l.args.by === account.address && l.args.slot === BigInt(i + 1) && l.args.value === 7n * BigInt(i + 1)), "decoded Stored args do not match");
  const one = await pub.getContractEvents({ address: probe, abi: artifact.abi, eventName: "Stored", args: { slot: 3n }, fromBlock: 0n });
  check(one.length === 1 && one[0].args.value === 21n, `getContractEvents(slot 3) returned ${one.length}`);

  step = "newHeads notification";
  await pub.waitForTransactionReceipt({ hash: await wallet.sendTransaction({ to, value: 1n, nonce: nonce++ }), timeout: 20_000 });
  const b = await withTimeout(gotBlock, 15_000, "watchBlocks notification");
  check(watchError === null, `watchBlocks error: ${watchError}`);
  check(typeof b.number === "bigint" && b.number > 0n && /^0x[0-9a-f]{64}$/.test(b.hash), `block ${b.number} ${b.hash}`);
  const full = await pub.getBlock({ blockNumber: b.number });
  check(full.hash === b.hash, `notified hash ${b.hash} differs from eth_getBlockByNumber ${full.hash}`);

  console.log(`viem e2e ok: probe ${probe}, ${hashes.length} transfers, ${logs.length} logs, blocks seen ${seen.join(",")}`);
  unwatch();
  await (await wsClient.transport.getRpcClient()).close();
  process.exit(0);
} catch (e) {
  console.error(`viem e2e FAILED at step "${step}": ${e?.shortMessage ?? e?.message ?? e}`);
  if (e?.details) console.error(e.details);
  process.exit(1);
}
