// The L1 data fee seen through viem's OP Stack public actions (a client we did not write) against our L2 node:
// getL1BaseFee, estimateL1Fee, estimateTotalFee (all reading our GasPriceOracle predeploy), then a real transfer whose
// receipt carries op-geth's l1Fee fields; checks the sender paid exactly value + gas + l1Fee and the L1FeeVault got l1Fee.
// Prints one JSON line. Usage: node tests/js/l1-fee-e2e.mjs <l2-url> <l2-chain-id> <sender-key> <l1-base-fee> <gas-token-per-eth>
import { createPublicClient, createWalletClient, defineChain, http, parseEther, toHex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { chainConfig, publicActionsL2 } from "viem/op-stack";

const [url, idText, key, l1BaseFeeText, rateText] = process.argv.slice(2);
if (!rateText) {
  console.error("usage: l1-fee-e2e.mjs <l2-url> <l2-chain-id> <sender-key> <l1-base-fee> <gas-token-per-eth>");
  process.exit(2);
}
const check = (cond, msg) => { if (!cond) throw new Error(msg); };
const chain = defineChain({
  ...chainConfig, id: Number(idText), name: "OpenLedger", nativeCurrency: { name: "OPEN", symbol: "OPEN", decimals: 18 },
  rpcUrls: { default: { http: [url] } },
});
const l1FeeVault = "0x420000000000000000000000000000000000001A";
const gasTokenAbi = [{ type: "function", name: "gasTokenPerEth", stateMutability: "view", inputs: [], outputs: [{ type: "uint256" }] }];

try {
  const l2 = createPublicClient({ chain, transport: http(url) }).extend(publicActionsL2());
  const account = privateKeyToAccount(key);
  const wallet = createWalletClient({ account, chain, transport: http(url) });
  const to = "0x000000000000000000000000000000000000b0b0";
  const data = "0x" + "a9059cbb" + "00".repeat(12) + "11".repeat(20) + "00".repeat(24) + "0de0b6b3a7640000"; // calldata that compresses a little
  const value = parseEther("0.001");

  // Genesis has no L1 attributes yet (L1Block is empty until the first block's deposit): make one block first.
  const first = await wallet.sendTransaction({ to, value: 1n });
  await l2.waitForTransactionReceipt({ hash: first, pollingInterval: 100 });

  const l1BaseFee = await l2.getL1BaseFee();
  check(l1BaseFee === BigInt(l1BaseFeeText), `getL1BaseFee ${l1BaseFee}, want ${l1BaseFeeText}`);
  const rate = await l2.readContract({ address: chain.contracts.gasPriceOracle.address, abi: gasTokenAbi, functionName: "gasTokenPerEth" });
  check(rate === BigInt(rateText), `gasTokenPerEth ${rate}`);
  const estimate = await l2.estimateL1Fee({ account, to, value, data });
  const total = await l2.estimateTotalFee({ account, to, value, data });
  check(estimate > 0n, "estimateL1Fee is zero");
  check(total > estimate, `estimateTotalFee ${total} not above the L1 fee ${estimate}`);

  const before = await l2.getBalance({ address: account.address });
  const vaultBefore = await l2.getBalance({ address: l1FeeVault });
  const hash = await wallet.sendTransaction({ to, value, data, gas: 60000n });
  const receipt = await l2.waitForTransactionReceipt({ hash, pollingInterval: 100 });
  check(receipt.status === "success", `status ${receipt.status}`);
  // viem's OP Stack formatter turns op-geth's receipt fields into bigints.
  check(typeof receipt.l1Fee === "bigint" && receipt.l1Fee > 0n, `receipt.l1Fee ${receipt.l1Fee}`);
  check(receipt.l1GasPrice === l1BaseFee, `receipt.l1GasPrice ${receipt.l1GasPrice}`);
  check(typeof receipt.l1GasUsed === "bigint" && receipt.l1GasUsed > 0n, `receipt.l1GasUsed ${receipt.l1GasUsed}`);
  const raw = await l2.request({ method: "eth_getTransactionReceipt", params: [hash] });
  // eth_getBlockReceipts: the same fields; the L1 attributes deposit (0x7e) has none, as op-geth.
  const all = await l2.request({ method: "eth_getBlockReceipts", params: [toHex(receipt.blockNumber)] });
  check(all[0].type === "0x7e" && !("l1Fee" in all[0]) && !("l1GasPrice" in all[0]), `deposit receipt ${JSON.stringify(all[0])}`);
  check(all[1].l1Fee === raw.l1Fee && all[1].l1GasUsed === raw.l1GasUsed, "eth_getBlockReceipts disagrees with eth_getTransactionReceipt");
  const after = await l2.getBalance({ address: account.address, blockNumber: receipt.blockNumber });
  const vaultAfter = await l2.getBalance({ address: l1FeeVault, blockNumber: receipt.blockNumber });
  const paid = before - after;
  check(paid === value + receipt.gasUsed * receipt.effectiveGasPrice + receipt.l1Fee,
    `paid ${paid}, want value + gas ${receipt.gasUsed * receipt.effectiveGasPrice} + l1Fee ${receipt.l1Fee}`);
  check(vaultAfter - vaultBefore === receipt.l1Fee, `L1FeeVault got ${vaultAfter - vaultBefore}, receipt says ${receipt.l1Fee}`);
  // viem's estimate serializes the transaction with its own nonce, gas and fees: close to, not equal to, the charge.
  const diff = estimate > receipt.l1Fee ? estimate - receipt.l1Fee : receipt.l1Fee - estimate;
  check(diff * 10n < receipt.l1Fee, `estimateL1Fee ${estimate} vs receipt ${receipt.l1Fee}`);
  console.log(JSON.stringify({
    ok: true, l1BaseFee: l1BaseFee.toString(), estimateL1Fee: estimate.toString(), estimateTotalFee: total.toString(),
    receipt: { l1Fee: raw.l1Fee, l1GasUsed: raw.l1GasUsed, l1GasPrice: raw.l1GasPrice, l1BaseFeeScalar: raw.l1BaseFeeScalar,
      l1BlobBaseFee: raw.l1BlobBaseFee, l1BlobBaseFeeScalar: raw.l1BlobBaseFeeScalar, gasTokenPerEth: raw.gasTokenPerEth },
    paid: paid.toString(), blockNumber: receipt.blockNumber.toString(), hash,
  }));
} catch (e) {
  console.error(e);
  process.exit(1);
}
