import { useState, type FormEvent } from 'react';
import type { Address } from 'viem';
import { useWallet } from '../wallet';
import { useTx } from '../tx';
import { OpenTokenAbi, StakingManagerAbi } from '../generated/abis';
import { countdown, dateTime, formatToken, parseAmount } from '../format';
import { ErrorLine, Field, NeedAccount, Unavailable, useLoad } from '../ui';

export const ROLES = ['Sequencer', 'AttributionProver', 'DatanetValidator', 'OutputProposer'] as const;

export function StakingPage() {
  const { cfg } = useWallet();
  const staking = cfg.l1.contracts.StakingManager, token = cfg.l1.contracts.OpenToken;
  if (!staking || !token) return <><h1>Staking</h1><Unavailable title="Staking">StakingManager or OpenToken is not in this devnet's L1 deployments file.</Unavailable></>;
  return <><h1>Staking</h1><p className="muted">Stake OPEN on L1 for a role; unstaking waits out the unbonding period before you can withdraw.</p><NeedAccount><Staking staking={staking} token={token} /></NeedAccount></>;
}

function Staking({ staking, token }: { staking: Address; token: Address }) {
  const { clients, account } = useWallet();
  const tx = useTx();
  const me = account!;
  const { data, error } = useLoad(async () => {
    const c = clients.l1;
    const [balance, allowance, period, block, positions, mins] = await Promise.all([
      c.readContract({ address: token, abi: OpenTokenAbi, functionName: 'balanceOf', args: [me] }),
      c.readContract({ address: token, abi: OpenTokenAbi, functionName: 'allowance', args: [me, staking] }),
      c.readContract({ address: staking, abi: StakingManagerAbi, functionName: 'unbondingPeriod' }),
      c.getBlock(),
      Promise.all(ROLES.map((_, i) => c.readContract({ address: staking, abi: StakingManagerAbi, functionName: 'positionOf', args: [me, i] }))),
      Promise.all(ROLES.map((_, i) => c.readContract({ address: staking, abi: StakingManagerAbi, functionName: 'minStake', args: [i] }))),
    ]);
    return { balance, allowance, period, now: Number(block.timestamp), positions, mins };
  }, [me], 4000);

  const [role, setRole] = useState(0);
  const [amount, setAmount] = useState('');
  const [uRole, setURole] = useState(0);
  const [uAmount, setUAmount] = useState('');
  const [err, setErr] = useState<string | null>(null);

  const stake = async (e: FormEvent) => {
    e.preventDefault();
    setErr(null);
    let v: bigint;
    try { v = parseAmount(amount, 'Amount to stake'); } catch (x) { setErr((x as Error).message); return; }
    const allowance = await clients.l1.readContract({ address: token, abi: OpenTokenAbi, functionName: 'allowance', args: [me, staking] });
    if (allowance < v) {
      const ok = await tx.send({
        layer: 'l1', title: 'Step 1 of 2: allow staking', contractName: 'OpenToken', address: token, abi: OpenTokenAbi, functionName: 'approve', args: [staking, v],
        summary: [`Lets StakingManager take ${formatToken(v)} from your L1 balance`, 'Step 2 stakes it'],
      });
      if (!ok) return;
    }
    const done = await tx.send({
      layer: 'l1', title: allowance < v ? 'Step 2 of 2: stake' : 'Stake OPEN', contractName: 'StakingManager', address: staking, abi: StakingManagerAbi, functionName: 'stake', args: [role, v],
      summary: [`Stakes ${formatToken(v)} as ${ROLES[role]}`, 'The OPEN moves from your wallet into StakingManager; it can be slashed for misbehaviour in that role'],
    });
    if (done) setAmount('');
  };

  const unstake = async (e: FormEvent) => {
    e.preventDefault();
    setErr(null);
    let v: bigint;
    try { v = parseAmount(uAmount, 'Amount to unstake'); } catch (x) { setErr((x as Error).message); return; }
    const days = data ? Number(data.period) / 86400 : null;
    const done = await tx.send({
      layer: 'l1', title: 'Request unstake', contractName: 'StakingManager', address: staking, abi: StakingManagerAbi, functionName: 'requestUnstake', args: [uRole, v],
      summary: [`Moves ${formatToken(v)} of your ${ROLES[uRole]} stake into unbonding`, `You can withdraw it after the unbonding period${days !== null ? ` (${days} days)` : ''}; a new request restarts the timer for the whole unbonding amount`],
    });
    if (done) setUAmount('');
  };

  const withdraw = (i: number, amount: bigint) => tx.send({
    layer: 'l1', title: 'Withdraw unbonded stake', contractName: 'StakingManager', address: staking, abi: StakingManagerAbi, functionName: 'withdraw', args: [i],
    summary: [`Sends your unbonded ${ROLES[i]} stake, ${formatToken(amount)}, back to your wallet`],
  });

  return (
    <>
      <section className="card" aria-labelledby="pos-h">
        <h2 id="pos-h">Your positions</h2>
        <ErrorLine error={error} />
        {data && (
          <>
            <p>Wallet: <strong data-testid="staking-balance">{formatToken(data.balance)}</strong> on L1 · unbonding period {Number(data.period) / 86400} days · chain time {dateTime(data.now)}</p>
            <table>
              <thead><tr><th scope="col">Role</th><th scope="col">Active</th><th scope="col">Minimum</th><th scope="col">Unbonding</th><th scope="col">Withdrawable</th><th scope="col"><span className="sr-only">Withdraw</span></th></tr></thead>
              <tbody>{ROLES.map((r, i) => {
                const p = data.positions[i];
                const ready = p.unbonding > 0n && data.now >= Number(p.unbondingEnd);
                return (
                  <tr key={r}>
                    <td>{r}</td><td data-testid={`active-${r}`}>{formatToken(p.active)}</td><td>{formatToken(data.mins[i])}</td>
                    <td data-testid={`unbonding-${r}`}>{formatToken(p.unbonding)}</td>
                    <td>{p.unbonding === 0n ? '—' : ready ? 'now' : `${dateTime(p.unbondingEnd)} (${countdown(Number(p.unbondingEnd) - data.now)})`}</td>
                    <td>{p.unbonding > 0n && <button type="button" onClick={() => withdraw(i, p.unbonding)} aria-label={`Withdraw ${r} stake`}>Withdraw</button>}</td>
                  </tr>
                );
              })}</tbody>
            </table>
          </>
        )}
      </section>
      <ErrorLine error={err} />
      <div className="grid">
        <form className="card" onSubmit={stake} aria-labelledby="stake-h">
          <h2 id="stake-h">Stake</h2>
          <Field id="st-role" label="Role"><select id="st-role" value={role} onChange={(e) => setRole(Number(e.target.value))}>{ROLES.map((r, i) => <option key={r} value={i}>{r}</option>)}</select></Field>
          <Field id="st-amount" label="Amount (OPEN)"><input id="st-amount" inputMode="decimal" value={amount} onChange={(e) => setAmount(e.target.value)} /></Field>
          <button type="submit" className="primary">Stake</button>
        </form>
        <form className="card" onSubmit={unstake} aria-labelledby="unstake-h">
          <h2 id="unstake-h">Request unstake</h2>
          <Field id="un-role" label="Role"><select id="un-role" value={uRole} onChange={(e) => setURole(Number(e.target.value))}>{ROLES.map((r, i) => <option key={r} value={i}>{r}</option>)}</select></Field>
          <Field id="un-amount" label="Amount to unstake (OPEN)"><input id="un-amount" inputMode="decimal" value={uAmount} onChange={(e) => setUAmount(e.target.value)} /></Field>
          <button type="submit" className="primary">Request unstake</button>
        </form>
      </div>
    </>
  );
}
