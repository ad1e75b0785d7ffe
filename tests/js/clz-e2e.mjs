// Compiles tests/js/osaka/Clz.sol with solc 0.8.37 (npm "solc-osaka") at its default EVM version, checks the
// output targets osaka and uses CLZ (0x1e), deploys it on the node with viem and calls it.
// Usage: node tests/js/clz-e2e.mjs <http-url> <private-key> <chain id>
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { createPublicClient, createWalletClient, defineChain, http } from "viem";
import { privateKeyToAccount } from "viem/accounts";

const [httpUrl, key, chainIdText] = process.argv.slice(2);
if (!chainIdText) { console.error("usage: clz-e2e.mjs <http-url> <private-key> <chain-id>"); process.exit(2); }
const solc = createRequire(import.meta.url)("solc-osaka");
let step = "compile";
const check = (cond, msg) => { if (!cond) throw new Error(msg); };
try {
  const source = readFileSync(new URL("./osaka/Clz.sol", import.meta.url), "utf8");
  const input = { language: "Solidity", sources: { "Clz.sol": { content: source } },
    settings: { outputSelection: { "*": { "*": ["abi", "evm.bytecode.object", "evm.deployedBytecode.opcodes", "metadata"] } } } };
  const out = JSON.parse(solc.compile(JSON.stringify(input)));
  const errors = (out.errors ?? []).filter((e) => e.severity === "error");
  check(errors.length === 0, errors.map((e) => e.formattedMessage).join("\n"));
  const c = out.contracts["Clz.sol"].Clz;
  const evmVersion = JSON.parse(c.metadata).settings.evmVersion;
  check(evmVersion === "osaka", `solc ${solc.version()} compiled for ${evmVersion}, expected its default osaka`);
  check(/\bCLZ\b/.test(c.evm.deployedBytecode.opcodes), "no CLZ opcode in the deployed code");

  const chain = defineChain({ id: Number(chainIdText), name: "OpenLedger devnet", nativeCurrency: { name: "OPEN", symbol: "OPEN", decimals: 18 }, rpcUrls: { default: { http: [httpUrl] } } });
  const account = privateKeyToAccount(key);
  const pub = createPublicClient({ chain, transport: http(httpUrl), pollingInterval: 100 });
  const wallet = createWalletClient({ account, chain, transport: http(httpUrl) });
  step = "deploy";
  const hash = await wallet.deployContract({ abi: c.abi, bytecode: "0x" + c.evm.bytecode.object });
  const receipt = await pub.waitForTransactionReceipt({ hash, timeout: 20_000 });
  check(receipt.status === "success", `deploy status ${receipt.status}`);
  step = "call";
  for (const [x, want] of [[0n, 256n], [1n, 255n], [1n << 255n, 0n], [(1n << 128n) + 5n, 127n]]) {
    const got = await pub.readContract({ address: receipt.contractAddress, abi: c.abi, functionName: "leadingZeros", args: [x] });
    check(got === want, `leadingZeros(${x}) = ${got}, expected ${want}`);
  }
  console.log(`clz e2e ok: solc ${solc.version()} (${evmVersion}) contract at ${receipt.contractAddress}`);
  process.exit(0);
} catch (e) {
  console.error(`clz e2e FAILED at step "${step}": ${e?.shortMessage ?? e?.message ?? e}`);
  process.exit(1);
}
