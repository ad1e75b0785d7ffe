import { useState, type FormEvent } from 'react';
import type { Address } from 'viem';
import { useWallet } from '../wallet';
import { useTx } from '../tx';
import { OpenPortalAbi, OpenTokenAbi } from '../generated/abis';
import { formatToken, parseAmount } from '../format';
import { ErrorLine, Field, NeedAccount, Unavailable, useLoad } from '../ui';
import { Withdrawals } from './Withdrawals';

/** Gas the L2 deposit transaction gets (a plain value transfer to the sender). */
const DEPOSIT_GAS = 100_000n;

export function BridgePage() {
  const { cfg } = useWallet();
  const portal = cfg.l1.contracts.OpenPortal, oracle = cfg.l1.contracts.L2OutputOracle, token = cfg.l1.contracts.OpenToken;
  return (
    <>
      <h1>Bridge</h1>
      {!portal || !oracle || !token
        ? <Unavailable title="Bridge">This devnet has not deployed OpenPortal and L2OutputOracle on L1 (no entries in its L1 deployments file), so OPEN cannot move between L1 and L2 here yet. This page lights up when they are deployed.</Unavailable>
        : !cfg.l2.bridge
        ? <Unavailable title="Bridge">OpenPortal is deployed on L1, but this L2 does not derive its deposits (a devnet started with <code>--no-rollup</code>): a deposit would stay in escrow without minting on L2, so the page does not offer one.</Unavailable>
        : <NeedAccount><Deposit portal={portal} token={token} /><Withdrawals portal={portal} /></NeedAccount>}
    </>
  );
}

function Deposit({ portal, token }: { portal: Address; token: Address }) {
  const { clients, account } = useWallet();
  const tx = useTx();
  const me = account!;
  const [amount, setAmount] = useState('');
  const [err, setErr] = useState<string | null>(null);
  const { data } = useLoad(async () => ({
    l1: await clients.l1.readContract({ address: token, abi: OpenTokenAbi, functionName: 'balanceOf', args: [me] }),
    l2: await clients.l2.getBalance({ address: me }),
  }), [me], 4000);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setErr(null);
    let v: bigint;
    try { v = parseAmount(amount, 'Amount'); } catch (x) { setErr((x as Error).message); return; }
    const allowance = await clients.l1.readContract({ address: token, abi: OpenTokenAbi, functionName: 'allowance', args: [me, portal] });
    if (allowance < v) {
      const ok = await tx.send({
        layer: 'l1', title: 'Step 1 of 2: allow the deposit', contractName: 'OpenToken', address: token, abi: OpenTokenAbi, functionName: 'approve', args: [portal, v],
        summary: [`Lets OpenPortal take ${formatToken(v)} from your L1 balance`],
      });
      if (!ok) return;
    }
    await tx.send({
      layer: 'l1', title: 'Deposit OPEN to L2', contractName: 'OpenPortal', address: portal, abi: OpenPortalAbi, functionName: 'depositERC20Transaction',
      args: [me, v, v, DEPOSIT_GAS, false, '0x'],
      summary: [`Escrows ${formatToken(v)} in OpenPortal on L1`, 'The L2 mints the same amount to your address once the sequencer includes the deposit (a few L1 blocks)'],
    });
  };
  return (
    <form className="card" onSubmit={submit} aria-labelledby="dep-h">
      <h2 id="dep-h">Deposit L1 → L2</h2>
      {data && <p>L1: {formatToken(data.l1)} · L2: {formatToken(data.l2)}</p>}
      <Field id="dep-amount" label="Deposit amount (OPEN)"><input id="dep-amount" inputMode="decimal" value={amount} onChange={(e) => setAmount(e.target.value)} /></Field>
      <ErrorLine error={err} />
      <button type="submit" className="primary">Deposit</button>
    </form>
  );
}
