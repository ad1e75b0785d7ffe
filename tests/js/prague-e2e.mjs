// Prague/Osaka features through real clients: viem signs an EIP-7702 authorization and sends a type-4 transaction
// that delegates a fresh account to E2EProbe, then calls through it; ethers reads the new header fields.
// Usage: node tests/js/prague-e2e.mjs <http-url> <private-key> <E2EProbe artifact json> <chain id>
import { readFileSync } from "node:fs";
import { createPublicClient, createWalletClient, defineChain, http } from "viem";
import { privateKeyToAccount, generatePrivateKey } from "viem/accounts";
import { ethers } from "ethers";

const [httpUrl, key, artifactPath, chainIdText] = process.argv.slice(2);
if (!chainIdText) {
  console.error("usage: prague-e2e.mjs <http-url> <private-key> <artifact> <chain-id>");
  process.exit(2);
}
let step = "start";
const check = (cond, msg) => { if (!cond) throw new Error(msg); };
const chain = defineChain({ id: Number(chainIdText), name: "OpenLedger devnet", nativeCurrency: { name: "OPEN", symbol: "OPEN", decimals: 18 }, rpcUrls: { default: { http: [httpUrl] } } });
const sponsor = privateKeyToAccount(key);
const pub = createPublicClient({ chain, transport: http(httpUrl), pollingInterval: 100 });
const wallet = createWalletClient({ account: sponsor, chain, transport: http(httpUrl) });
try {
  step = "deploy E2EProbe";
  const artifact = JSON.parse(readFileSync(artifactPath, "utf8"));
  const deployHash = await wallet.deployContract({ abi: artifact.abi, bytecode: artifact.bytecode.object });
  const probe = (await pub.waitForTransactionReceipt({ hash: deployHash, timeout: 20_000 })).contractAddress;

  step = "signAuthorization";
  const authority = privateKeyToAccount(generatePrivateKey()); // never funded: the sponsor pays
  const authorization = await wallet.signAuthorization({ account: authority, contractAddress: probe });

  step = "type-4 transaction calling through the delegated account";
  const hash = await wallet.writeContract({ address: authority.address, abi: artifact.abi, functionName: "store", args: [9n, 99n], authorizationList: [authorization] });
  const receipt = await pub.waitForTransactionReceipt({ hash, timeout: 20_000 });
  check(receipt.status === "success", `type-4 status ${receipt.status}`);
  check(receipt.type === "eip7702", `receipt type ${receipt.type}`);
  check(receipt.logs.length === 1 && receipt.logs[0].address.toLowerCase() === authority.address.toLowerCase(), "Stored event not emitted by the authority");
  const tx = await pub.getTransaction({ hash });
  check(tx.type === "eip7702" && tx.authorizationList?.length === 1, `getTransaction type ${tx.type}, authorizationList ${JSON.stringify(tx.authorizationList)}`);
  check(tx.authorizationList[0].address.toLowerCase() === probe.toLowerCase(), "authorizationList address differs");

  step = "delegation designator and storage in the authority";
  const code = await pub.getCode({ address: authority.address });
  check(code === "0xef0100" + probe.slice(2).toLowerCase(), `code of the authority ${code}`);
  const stored = await pub.readContract({ address: authority.address, abi: artifact.abi, functionName: "values", args: [9n] });
  check(stored === 99n, `values(9) through the delegation = ${stored}`);
  check((await pub.getTransactionCount({ address: authority.address })) === 1, "authority nonce not bumped");

  step = "a second call through the delegation (plain EIP-1559)";
  const h2 = await wallet.writeContract({ address: authority.address, abi: artifact.abi, functionName: "store", args: [10n, 100n] });
  check((await pub.waitForTransactionReceipt({ hash: h2, timeout: 20_000 })).status === "success", "second call failed");
  check((await pub.readContract({ address: authority.address, abi: artifact.abi, functionName: "values", args: [10n] })) === 100n, "values(10) != 100");

  step = "ethers reads the header fields";
  const provider = new ethers.JsonRpcProvider(httpUrl, Number(chainIdText), { staticNetwork: true });
  const block = await provider.getBlock(receipt.blockNumber);
  check(block.hash === receipt.blockHash, "ethers block hash differs");
  check(block.blobGasUsed === 0n && typeof block.excessBlobGas === "bigint", `blob fields ${block.blobGasUsed} ${block.excessBlobGas}`);
  check(/^0x[0-9a-f]{64}$/.test(block.parentBeaconBlockRoot), `parentBeaconBlockRoot ${block.parentBeaconBlockRoot}`);
  // ethers 6 has no requestsHash property; the raw header carries it (EIP-7685, empty requests).
  const raw = await provider.send("eth_getBlockByNumber", [ethers.toQuantity(receipt.blockNumber), false]);
  check(raw.requestsHash === "0xe3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", `requestsHash ${raw.requestsHash}`);
  const viemBlock = await pub.getBlock({ blockNumber: receipt.blockNumber });
  check(viemBlock.requestsHash === raw.requestsHash, `viem block requestsHash ${viemBlock.requestsHash}`);

  step = "eth_config";
  const config = await provider.send("eth_config", []);
  check(config.current.chainId === ethers.toQuantity(BigInt(chainIdText)), `eth_config chainId ${config.current.chainId}`);
  check(config.current.systemContracts.HISTORY_STORAGE_ADDRESS?.toLowerCase() === "0x0000f90827f1c53a10cb7a02335b175320002935", "history contract missing from eth_config");

  console.log(`prague e2e ok: authority ${authority.address} delegated to ${probe}, block ${receipt.blockNumber}`);
  process.exit(0);
} catch (e) {
  console.error(`prague e2e FAILED at step "${step}": ${e?.shortMessage ?? e?.message ?? e}`);
  if (e?.details) console.error(e.details);
  process.exit(1);
}
