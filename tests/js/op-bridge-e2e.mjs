// The OPEN bridge driven by viem's OP Stack actions (a client we did not write) against our L1 contracts (anvil) and
// our L2 node: deposit OPEN on L1 (depositERC20Transaction, OP's custom-gas-token entry point, plus viem's
// depositTransaction for a message), spend it as gas on L2, initiateWithdrawal, waitToProve, buildProveWithdrawal,
// proveWithdrawal, getWithdrawalStatus, waitToFinalize, finalizeWithdrawal; checks the balances exactly.
// The proposer must be running. Prints one JSON line of measurements (gas, seconds from withdrawal to provable).
// Usage: node tests/js/op-bridge-e2e.mjs <l1-url> <l2-url> <l1-chain-id> <l2-chain-id> <portal> <oracle> <token> <funder-key>
import { readFileSync } from "node:fs";
import { createPublicClient, createWalletClient, defineChain, http, parseEther, parseAbi } from "viem";
import { privateKeyToAccount, generatePrivateKey } from "viem/accounts";
import { chainConfig, publicActionsL1, publicActionsL2, walletActionsL1, walletActionsL2, getL2TransactionHashes } from "viem/op-stack";

const [l1Url, l2Url, l1IdText, l2IdText, portal, oracle, token, funderKey] = process.argv.slice(2);
if (!funderKey) {
  console.error("usage: op-bridge-e2e.mjs <l1-url> <l2-url> <l1-chain-id> <l2-chain-id> <portal> <oracle> <token> <funder-key>");
  process.exit(2);
}
const check = (cond, msg) => { if (!cond) throw new Error(msg); };
const multicall3 = "0xcA11bde05977b3631167028862bE2a173976CA11";
const l1Chain = defineChain({
  id: Number(l1IdText), name: "anvil", nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
  rpcUrls: { default: { http: [l1Url] } }, contracts: { multicall3: { address: multicall3 } },
});
const l2Chain = defineChain({
  ...chainConfig,
  id: Number(l2IdText), name: "OpenLedger", sourceId: l1Chain.id,
  nativeCurrency: { name: "OPEN", symbol: "OPEN", decimals: 18 },
  rpcUrls: { default: { http: [l2Url] } },
  contracts: { ...chainConfig.contracts, portal: { [l1Chain.id]: { address: portal } }, l2OutputOracle: { [l1Chain.id]: { address: oracle } } },
});
const erc20 = parseAbi([
  "function approve(address,uint256) returns (bool)", "function transfer(address,uint256) returns (bool)", "function balanceOf(address) view returns (uint256)",
]);
const portalAbi = parseAbi(["function depositERC20Transaction(address,uint256,uint256,uint64,bool,bytes)", "function escrowed() view returns (uint256)"]);

try {
  const l1 = createPublicClient({ chain: l1Chain, transport: http(l1Url) }).extend(publicActionsL1());
  const l2 = createPublicClient({ chain: l2Chain, transport: http(l2Url) }).extend(publicActionsL2());
  const funder = createWalletClient({ account: privateKeyToAccount(funderKey), chain: l1Chain, transport: http(l1Url) });
  // viem reads the oracle through Multicall3; anvil has none, so put OP's preinstall bytecode (from the npm package) there.
  const preinstalls = readFileSync("node_modules/@eth-optimism/contracts-bedrock/src/libraries/Preinstalls.sol", "utf8");
  const code = /MultiCall3Code =\s*hex"([0-9a-fA-F]+)"/.exec(preinstalls)[1];
  await l1.request({ method: "anvil_setCode", params: [multicall3, "0x" + code] });

  // A fresh user: ETH for L1 gas, 100 OPEN on L1, nothing on L2.
  const user = privateKeyToAccount(generatePrivateKey());
  const userL1 = createWalletClient({ account: user, chain: l1Chain, transport: http(l1Url) }).extend(walletActionsL1());
  const userL2 = createWalletClient({ account: user, chain: l2Chain, transport: http(l2Url) }).extend(walletActionsL2());
  const wait = async (client, hash) => { const r = await client.waitForTransactionReceipt({ hash, pollingInterval: 200 }); check(r.status === "success", `${hash} ${r.status}`); return r; };
  await wait(l1, await funder.sendTransaction({ to: user.address, value: parseEther("10") }));
  await wait(l1, await funder.writeContract({ address: token, abi: erc20, functionName: "transfer", args: [user.address, parseEther("100")] }));
  const l1Start = await l1.readContract({ address: token, abi: erc20, functionName: "balanceOf", args: [user.address] });
  check(l1Start === parseEther("100"), `L1 OPEN ${l1Start}`);

  // 1. Deposit 40 OPEN (escrowed) to ourselves on L2, then a plain message deposit through viem's depositTransaction.
  const mint = parseEther("40");
  await wait(l1, await userL1.writeContract({ address: token, abi: erc20, functionName: "approve", args: [portal, mint] }));
  const depositReceipt = await wait(l1, await userL1.writeContract({ address: portal, abi: portalAbi, functionName: "depositERC20Transaction", args: [user.address, mint, 0n, 100000n, false, "0x"] }));
  const [depositL2Hash] = getL2TransactionHashes(depositReceipt);
  const depositL2 = await l2.waitForTransactionReceipt({ hash: depositL2Hash, pollingInterval: 200 });
  check(depositL2.status === "success", `L2 deposit ${depositL2.status}`);
  check(await l2.getBalance({ address: user.address }) === mint, "L2 balance after the deposit");
  const messageReceipt = await wait(l1, await userL1.depositTransaction({ request: { gas: 60000n, to: user.address, data: "0x1234" }, targetChain: l2Chain }));
  const [messageL2Hash] = getL2TransactionHashes(messageReceipt);
  const messageL2 = await l2.waitForTransactionReceipt({ hash: messageL2Hash, pollingInterval: 200 });
  check(messageL2.status === "success", `L2 message deposit ${messageL2.status}`);
  const messageTx = await l2.getTransaction({ hash: messageL2Hash });
  check(messageTx.mint === 0n && messageTx.input === "0x1234", `message deposit mint ${messageTx.mint} input ${messageTx.input}`);

  // 2. Spend OPEN as gas on L2 (a transfer), then withdraw 15 OPEN back to L1 (gas paid in OPEN too).
  const spend = await l2.waitForTransactionReceipt({ hash: await userL2.sendTransaction({ to: "0x000000000000000000000000000000000000dEaD", value: parseEther("1") }), pollingInterval: 200 });
  check(spend.status === "success", "L2 transfer");
  const withdrawn = parseEther("15");
  const withdrawHash = await userL2.initiateWithdrawal({ request: { gas: 100000n, to: user.address, value: withdrawn } });
  const withdrawReceipt = await l2.waitForTransactionReceipt({ hash: withdrawHash, pollingInterval: 200 });
  check(withdrawReceipt.status === "success", "initiateWithdrawal");
  const fee = (r) => r.gasUsed * r.effectiveGasPrice + (r.l1Fee ?? 0n);
  const l2Fees = fee(spend) + fee(withdrawReceipt);
  const l2End = await l2.getBalance({ address: user.address });
  check(l2End === mint - parseEther("1") - withdrawn - l2Fees, `L2 balance ${l2End}, expected ${mint - parseEther("1") - withdrawn - l2Fees}`);
  const startedWaiting = Date.now();
  check(await l1.getWithdrawalStatus({ receipt: withdrawReceipt, targetChain: l2Chain }) === "waiting-to-prove", "status before the output");

  // 3. Wait for an output covering the withdrawal, prove it, wait the finalization period, finalize.
  const { output, withdrawal } = await l1.waitToProve({ receipt: withdrawReceipt, targetChain: l2Chain, pollingInterval: 500 });
  const secondsToProvable = (Date.now() - startedWaiting) / 1000;
  check(await l1.getWithdrawalStatus({ receipt: withdrawReceipt, targetChain: l2Chain }) === "ready-to-prove", "status once an output covers it");
  const proveArgs = await l2.buildProveWithdrawal({ account: user, output, withdrawal });
  const proveReceipt = await wait(l1, await userL1.proveWithdrawal(proveArgs));
  check(await l1.getWithdrawalStatus({ receipt: withdrawReceipt, targetChain: l2Chain }) === "waiting-to-finalize", "status after proving");
  await l1.waitToFinalize({ withdrawalHash: withdrawal.withdrawalHash, targetChain: l2Chain });
  // The output must also be past its challenge window on L1's clock: poll the status viem computes.
  while (await l1.getWithdrawalStatus({ receipt: withdrawReceipt, targetChain: l2Chain }) !== "ready-to-finalize") await new Promise((r) => setTimeout(r, 500));
  const finalizeReceipt = await wait(l1, await userL1.finalizeWithdrawal({ targetChain: l2Chain, withdrawal }));
  check(await l1.getWithdrawalStatus({ receipt: withdrawReceipt, targetChain: l2Chain }) === "finalized", "status after finalizing");

  // 4. OPEN back on L1 exactly: what was withdrawn (L2 fees were paid from the L2 balance, L1 gas in ETH).
  const l1End = await l1.readContract({ address: token, abi: erc20, functionName: "balanceOf", args: [user.address] });
  check(l1End === l1Start - mint + withdrawn, `L1 OPEN ${l1End}, expected ${l1Start - mint + withdrawn}`);
  const escrow = await l1.readContract({ address: portal, abi: portalAbi, functionName: "escrowed" });
  console.log(JSON.stringify({
    ok: true, depositGas: depositReceipt.gasUsed.toString(), messageDepositGas: messageReceipt.gasUsed.toString(),
    proveGas: proveReceipt.gasUsed.toString(), finalizeGas: finalizeReceipt.gasUsed.toString(), secondsToProvable, l2Fees: l2Fees.toString(),
    escrowed: escrow.toString(), withdrawalHash: withdrawal.withdrawalHash,
  }));
  process.exit(0);
} catch (e) {
  console.error(`op bridge e2e failed: ${e.stack ?? e.message}`);
  process.exit(1);
}
