// Withdrawals L2 → L1 on the Bridge page: start one (L2ToL1MessagePasser.initiateWithdrawal), then per withdrawal its
// status from viem's OP Stack actions (getWithdrawalStatus) with a countdown to the next step (getTimeToProve: the next
// output covering its block; getTimeToFinalize: the finalization period after the proof), prove (buildProveWithdrawal
// reads the output and the storage proof) and finalize. Every step goes through the common transaction dialog.
import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { parseAbiItem, type Address, type Hash, type PublicClient, type TransactionReceipt } from 'viem';
import { getWithdrawals, publicActionsL1, publicActionsL2 } from 'viem/op-stack';
import { useWallet } from '../wallet';
import { useTx } from '../tx';
import { L2ToL1MessagePasserAbi, OpenPortalAbi, allErrorsAbi } from '../generated/abis';
import { opTargetChain } from '../chains';
import { describeError } from '../errors';
import { countdown, formatToken, parseAmount, shortHex } from '../format';
import { ErrorLine, Field, useLoad } from '../ui';

/** OP's predeploy (in the L2 genesis). */
const MESSAGE_PASSER: Address = '0x4200000000000000000000000000000000000016';
/** Gas the withdrawal's call gets on L1 (a plain OPEN release to an account). */
const WITHDRAWAL_GAS = 100_000n;
/** The node answers eth_getLogs over at most 10,000 blocks: the page lists withdrawals of the last 9,000 L2 blocks. */
const LOOKBACK = 9_000n;
const messagePassed = parseAbiItem('event MessagePassed(uint256 indexed nonce, address indexed sender, address indexed target, uint256 value, uint256 gasLimit, bytes data, bytes32 withdrawalHash)');

type Status = 'waiting-to-prove' | 'ready-to-prove' | 'waiting-to-finalize' | 'ready-to-finalize' | 'finalized';
interface Item { txHash: Hash; value: bigint; l2Block: bigint; withdrawalHash: Hash }

const statusText: Record<Status, string> = {
  'waiting-to-prove': 'Waiting for an output root covering its L2 block',
  'ready-to-prove': 'Ready to prove on L1',
  'waiting-to-finalize': 'Proven; waiting out the finalization period',
  'ready-to-finalize': 'Ready to finalize on L1',
  finalized: 'Finalized: the OPEN is on L1',
};

export function Withdrawals({ portal }: { portal: Address }) {
  const { clients, account, cfg } = useWallet();
  const me = account!;
  const target = useMemo(() => opTargetChain(cfg), [cfg]);
  const list = useLoad(async () => {
    const head = await clients.l2.getBlockNumber();
    const logs = await clients.l2.getLogs({ address: MESSAGE_PASSER, event: messagePassed, args: { sender: me }, fromBlock: head > LOOKBACK ? head - LOOKBACK : 0n, toBlock: head });
    return logs.map((l): Item => ({ txHash: l.transactionHash!, value: l.args.value!, l2Block: l.blockNumber!, withdrawalHash: l.args.withdrawalHash! })).reverse();
  }, [me], 5000);
  if (!target) return null;
  return (
    <>
      <StartWithdrawal />
      <section className="card" aria-labelledby="wd-list-h">
        <h2 id="wd-list-h">Your withdrawals</h2>
        <p className="muted">From the last {LOOKBACK.toLocaleString('en')} L2 blocks. A withdrawal is proven once the proposer has posted an output root covering its block, and finalized after the oracle's finalization period.</p>
        <ErrorLine error={list.error} />
        {list.data && list.data.length === 0 && <p>No withdrawals yet.</p>}
        {list.data && list.data.length > 0 && (
          <ul className="withdrawals">
            {list.data.map((w) => <WithdrawalRow key={w.txHash} item={w} portal={portal} target={target} />)}
          </ul>
        )}
      </section>
    </>
  );
}

function StartWithdrawal() {
  const { clients, account } = useWallet();
  const tx = useTx();
  const me = account!;
  const [amount, setAmount] = useState('');
  const [err, setErr] = useState<string | null>(null);
  const balance = useLoad(() => clients.l2.getBalance({ address: me }), [me], 4000);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setErr(null);
    let v: bigint;
    try { v = parseAmount(amount, 'Amount'); } catch (x) { setErr((x as Error).message); return; }
    const ok = await tx.send({
      layer: 'l2', title: 'Withdraw OPEN to L1', contractName: 'L2ToL1MessagePasser', address: MESSAGE_PASSER, abi: L2ToL1MessagePasserAbi,
      functionName: 'initiateWithdrawal', args: [me, WITHDRAWAL_GAS, '0x'], value: v,
      summary: [`Burns ${formatToken(v)} on L2 and records a withdrawal to your address on L1`,
        'Then two L1 transactions from this page: prove (once an output root covers it) and finalize (after the finalization period)'],
    });
    if (ok) setAmount('');
  };
  return (
    <form className="card" onSubmit={submit} aria-labelledby="wd-h">
      <h2 id="wd-h">Withdraw L2 → L1</h2>
      {balance.data !== null && <p>L2: {formatToken(balance.data)}</p>}
      <Field id="wd-amount" label="Withdraw amount (OPEN)"><input id="wd-amount" inputMode="decimal" value={amount} onChange={(e) => setAmount(e.target.value)} /></Field>
      <ErrorLine error={err} />
      <button type="submit" className="primary">Withdraw</button>
    </form>
  );
}

type Target = NonNullable<ReturnType<typeof opTargetChain>>;

interface RowState { status: Status; until: number | null; receipt: TransactionReceipt; waitingFor: string | null }

function WithdrawalRow({ item, portal, target }: { item: Item; portal: Address; target: Target }) {
  const { clients, account } = useWallet();
  const tx = useTx();
  const l1 = useMemo(() => (clients.l1 as PublicClient).extend(publicActionsL1()), [clients.l1]);
  const l2 = useMemo(() => (clients.l2 as PublicClient).extend(publicActionsL2()), [clients.l2]);
  const [busy, setBusy] = useState<string | null>(null);
  const [err, setErr] = useState<string | null>(null);
  const st = useLoad(async (): Promise<RowState> => {
    const receipt = await clients.l2.getTransactionReceipt({ hash: item.txHash });
    const args = { receipt, targetChain: target } as never;
    const status = (await l1.getWithdrawalStatus(args)) as Status;
    let until: number | null = null;
    if (status === 'waiting-to-prove') {
      // Before the first output there is nothing to extrapolate from: no countdown, the status still moves on.
      try { until = (await l1.getTimeToProve(args)).timestamp ?? null; } catch { until = null; }
    } else if (status === 'waiting-to-finalize')
      until = (await l1.getTimeToFinalize({ withdrawalHash: item.withdrawalHash, targetChain: target } as never)).timestamp;
    else if (status === 'ready-to-finalize') {
      // viem counts the period on this computer's clock; the portal on L1's latest block (and also wants the output
      // final). Offer the button once a simulation on L1 passes; until then say what L1 still answers.
      const [w] = getWithdrawals({ logs: receipt.logs });
      try {
        await clients.l1.simulateContract({ address: portal, abi: [...OpenPortalAbi, ...allErrorsAbi], functionName: 'finalizeWithdrawalTransaction',
          args: [{ nonce: w.nonce, sender: w.sender, target: w.target, value: w.value, gasLimit: w.gasLimit, data: w.data }], account: account! } as never);
      } catch (e) {
        return { status: 'waiting-to-finalize', until: null, receipt, waitingFor: describeError(e) };
      }
    }
    return { status, until, receipt, waitingFor: null };
  }, [item.txHash], 3000);

  const prove = async () => {
    if (!st.data) return;
    setErr(null); setBusy('Reading the output root and the storage proof…');
    let built;
    try {
      const output = await l1.getL2Output({ l2BlockNumber: item.l2Block, targetChain: target } as never);
      const [withdrawal] = getWithdrawals({ logs: st.data.receipt.logs });
      built = await l2.buildProveWithdrawal({ account: account!, output, withdrawal } as never);
    } catch (e) { setErr(describeError(e)); return; } finally { setBusy(null); }
    await tx.send({
      layer: 'l1', title: 'Prove the withdrawal', contractName: 'OpenPortal', address: portal, abi: OpenPortalAbi, functionName: 'proveWithdrawalTransaction',
      args: [built.withdrawal, built.l2OutputIndex, built.outputRootProof, built.withdrawalProof],
      summary: [`Proves on L1 that your withdrawal of ${formatToken(item.value)} is in output #${built.l2OutputIndex} (L2 block ${item.l2Block})`,
        'Starts the finalization period; finalize afterwards to receive the OPEN'],
    });
    st.reload();
  };

  const finalize = async () => {
    if (!st.data) return;
    const [w] = getWithdrawals({ logs: st.data.receipt.logs });
    await tx.send({
      layer: 'l1', title: 'Finalize the withdrawal', contractName: 'OpenPortal', address: portal, abi: OpenPortalAbi, functionName: 'finalizeWithdrawalTransaction',
      args: [{ nonce: w.nonce, sender: w.sender, target: w.target, value: w.value, gasLimit: w.gasLimit, data: w.data }],
      summary: [`Releases ${formatToken(item.value)} from OpenPortal's escrow to ${shortHex(w.target)} on L1`],
    });
    st.reload();
  };

  const s = st.data?.status;
  return (
    <li className="withdrawal" aria-label={`Withdrawal of ${formatToken(item.value)} in L2 block ${item.l2Block}`}>
      <div><strong>{formatToken(item.value)}</strong> · L2 block {item.l2Block.toString()} · <code title={item.txHash}>{shortHex(item.txHash)}</code></div>
      <div data-testid="withdrawal-status">
        {s ? <>{statusText[s]}{st.data!.until !== null && <Countdown until={st.data!.until} next={s === 'waiting-to-prove' ? 'provable' : 'finalizable'} />}
          {st.data!.waitingFor && <span className="muted"> — the period is over by this computer's clock; L1 still answers: {st.data!.waitingFor}</span>}</> : 'Reading its status…'}
      </div>
      <ErrorLine error={st.error ?? err} />
      {busy && <p role="status">{busy}</p>}
      {s === 'ready-to-prove' && <button type="button" className="primary" disabled={!!busy} onClick={prove}>Prove</button>}
      {s === 'ready-to-finalize' && <button type="button" className="primary" onClick={finalize}>Finalize</button>}
    </li>
  );
}

/** Seconds until `until` (ms), ticking; the estimate can pass before the chain catches up, so it then says so. */
function Countdown({ until, next }: { until: number; next: string }) {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, []);
  const left = Math.ceil((until - now) / 1000);
  return <span className="muted" data-testid="withdrawal-countdown"> — {next} {left > 0 ? `${countdown(left)} (estimate)` : 'any moment (waiting for the chain)'}</span>;
}
