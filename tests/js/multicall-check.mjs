// viem's multicall (which calls Multicall3 at its usual address) against an OpenLedger node with the preinstalls:
// two calls in one eth_call, answers decoded by viem. Usage: node tests/js/multicall-check.mjs <http-url> <chain-id>
import { createPublicClient, defineChain, http, parseAbi } from "viem";

const [url, chainIdText] = process.argv.slice(2);
if (!chainIdText) { console.error("usage: multicall-check.mjs <http-url> <chain-id>"); process.exit(2); }
const chain = defineChain({
  id: Number(chainIdText), name: "OpenLedger", nativeCurrency: { name: "OPEN", symbol: "OPEN", decimals: 18 },
  rpcUrls: { default: { http: [url] } },
  contracts: { multicall3: { address: "0xcA11bde05977b3631167028862bE2a173976CA11" } },
});
const client = createPublicClient({ chain, transport: http(url) });
const abi = parseAbi(["function getChainId() view returns (uint256)", "function getBasefee() view returns (uint256)"]);
const address = "0xcA11bde05977b3631167028862bE2a173976CA11";
const results = await client.multicall({ contracts: [{ address, abi, functionName: "getChainId" }, { address, abi, functionName: "getBasefee" }] });
if (results.some((r) => r.status !== "success")) { console.error(JSON.stringify(results, (_, v) => typeof v === "bigint" ? v.toString() : v)); process.exit(1); }
if (results[0].result !== BigInt(chainIdText)) { console.error(`chain id ${results[0].result}`); process.exit(1); }
console.log(`multicall ok: chain ${results[0].result}, base fee ${results[1].result}`);
