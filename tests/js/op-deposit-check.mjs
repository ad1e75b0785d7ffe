// Reads an OpenLedger rollup block with viem's OP Stack formatters (a client we did not write) and checks the L1
// attributes deposit: viem parses it as a deposit, re-serializes it to the hash our node reports, and derives the same
// source hash from the L1 origin. Usage: node tests/js/op-deposit-check.mjs <http-url> <chain-id> <block-number> <l1-hash> <seq>
import { createPublicClient, defineChain, http, keccak256 } from "viem";
import { chainConfig, serializeTransaction, getSourceHash } from "viem/op-stack";

const [url, chainIdText, blockText, l1Hash, seqText] = process.argv.slice(2);
if (!seqText) {
  console.error("usage: op-deposit-check.mjs <http-url> <chain-id> <block-number> <l1-hash> <seq>");
  process.exit(2);
}
const check = (cond, msg) => { if (!cond) throw new Error(msg); };
const chain = defineChain({
  ...chainConfig,
  id: Number(chainIdText),
  name: "OpenLedger rollup",
  nativeCurrency: { name: "OPEN", symbol: "OPEN", decimals: 18 },
  rpcUrls: { default: { http: [url] } },
});
const client = createPublicClient({ chain, transport: http(url) });
try {
  const block = await client.getBlock({ blockNumber: BigInt(blockText), includeTransactions: true });
  const tx = block.transactions[0];
  check(tx.type === "deposit", `first transaction type ${tx.type}, expected deposit`);
  check(tx.from.toLowerCase() === "0xdeaddeaddeaddeaddeaddeaddeaddeaddead0001", `from ${tx.from}`);
  check(tx.to.toLowerCase() === "0x4200000000000000000000000000000000000015", `to ${tx.to}`);
  // setL1BlockValuesOpenLedger(): the Isthmus layout (176 bytes) followed by the L1 data fee's gasTokenPerEth (32 bytes).
  check(tx.input.startsWith("0xe4c9b82c") && tx.input.length === 2 + 208 * 2, `input ${tx.input.slice(0, 12)}... length ${(tx.input.length - 2) / 2}`);
  const serialized = serializeTransaction({ type: "deposit", sourceHash: tx.sourceHash, from: tx.from, to: tx.to, mint: tx.mint, value: tx.value, gas: tx.gas, isSystemTx: tx.isSystemTx ?? false, data: tx.input });
  check(keccak256(serialized) === tx.hash, `viem serializes to ${keccak256(serialized)}, node says ${tx.hash}`);
  const source = getSourceHash({ domain: "l1InfoDeposit", l1BlockHash: l1Hash, sequenceNumber: BigInt(seqText) });
  check(source === tx.sourceHash, `source hash ${tx.sourceHash}, viem derives ${source}`);
  const receipt = await client.getTransactionReceipt({ hash: tx.hash });
  check(receipt.status === "success", `receipt status ${receipt.status}`);
  check(receipt.transactionIndex === 0, `receipt index ${receipt.transactionIndex}`);
  const raw = await client.request({ method: "eth_getTransactionReceipt", params: [tx.hash] });
  check(raw.depositReceiptVersion === "0x1" && typeof raw.depositNonce === "string", `depositNonce ${raw.depositNonce}, version ${raw.depositReceiptVersion}`);
  console.log("op deposit ok");
  process.exit(0);
} catch (e) {
  console.error(`op deposit check failed: ${e.message}`);
  process.exit(1);
}
