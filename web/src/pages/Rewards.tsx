import { useMemo } from 'react';
import type { Address } from 'viem';
import { useWallet } from '../wallet';
import { useTx } from '../tx';
import { DatanetsApi, type Unclaimed } from '../api';
import { AttributionRewardsAbi } from '../generated/abis';
import { countdown, dateTime, formatToken } from '../format';
import { ErrorLine, NeedAccount, Unavailable, useLoad } from '../ui';

export function RewardsPage() {
  const { cfg } = useWallet();
  const rewards = cfg.l2.contracts.AttributionRewards;
  const apiUrl = cfg.services.datanetsApi;
  const api = useMemo(() => (apiUrl ? new DatanetsApi(apiUrl) : null), [apiUrl]);
  if (!rewards) return <><h1>Rewards</h1><Unavailable title="Rewards">AttributionRewards is not in this devnet's L2 deployments file.</Unavailable></>;
  if (!api) return <><h1>Rewards</h1><Unavailable title="Rewards">The Datanets API (which serves the reward proofs) is not running.</Unavailable></>;
  return (
    <>
      <h1>Rewards</h1>
      <p className="muted">Inference fees are shared each epoch among the contributors whose data the answers were attributed to. Once an epoch's root is posted and its challenge window has passed, claim your share here.</p>
      <NeedAccount><Rewards api={api} rewards={rewards} /></NeedAccount>
    </>
  );
}

function Rewards({ api, rewards }: { api: DatanetsApi; rewards: Address }) {
  const { clients, account } = useWallet();
  const tx = useTx();
  const me = account!;
  const { data, error } = useLoad(async () => {
    const [acct, block] = await Promise.all([api.account(me), clients.l2.getBlock()]);
    const epochs = await Promise.all(acct.unclaimed.map((u) =>
      clients.l2.readContract({ address: rewards, abi: AttributionRewardsAbi, functionName: 'getEpoch', args: [BigInt(u.epoch)] })));
    return { acct, now: Number(block.timestamp), claimableAt: epochs.map((e) => Number(e.claimableAt)), roots: epochs.map((e) => e.root) };
  }, [me], 4000);

  const claim = (u: Unclaimed) => tx.send({
    layer: 'l2', title: 'Claim rewards', contractName: 'AttributionRewards', address: rewards, abi: AttributionRewardsAbi, functionName: 'claim',
    args: [BigInt(u.epoch), me, BigInt(u.amount), u.proof],
    summary: [`Claims ${formatToken(BigInt(u.amount))} for epoch ${u.epoch}`, 'The Merkle proof from the Datanets service shows your share is in the epoch’s posted root'],
  });

  const total = data?.acct.unclaimed.reduce((s, u) => s + BigInt(u.amount), 0n) ?? 0n;
  return (
    <>
      <section className="card" aria-labelledby="unclaimed-h">
        <h2 id="unclaimed-h">Claimable</h2>
        <ErrorLine error={error} />
        {data && data.acct.unclaimed.length === 0 && <p className="muted" data-testid="no-rewards">Nothing to claim yet.</p>}
        {data && data.acct.unclaimed.length > 0 && (
          <>
            <p>Total unclaimed: <strong data-testid="unclaimed-total">{formatToken(total)}</strong></p>
            <table>
              <thead><tr><th scope="col">Epoch</th><th scope="col">Amount</th><th scope="col">Claims open</th><th scope="col"><span className="sr-only">Claim</span></th></tr></thead>
              <tbody>{data.acct.unclaimed.map((u, i) => {
                const at = data.claimableAt[i];
                const stale = data.roots[i].toLowerCase() !== u.root.toLowerCase();
                return (
                  <tr key={u.epoch} data-testid={`epoch-${u.epoch}`}>
                    <td>{u.epoch}</td><td>{formatToken(BigInt(u.amount))}</td>
                    <td>{stale ? 'the root was replaced: waiting for the new proofs' : at <= data.now ? 'now' : `${dateTime(at)} (${countdown(at - data.now)})`}</td>
                    <td><button type="button" className="primary" disabled={stale} onClick={() => claim(u)} aria-label={`Claim epoch ${u.epoch}`}>Claim</button></td>
                  </tr>
                );
              })}</tbody>
            </table>
          </>
        )}
      </section>
      {data && data.acct.claims.length > 0 && (
        <section className="card" aria-labelledby="claimed-h">
          <h2 id="claimed-h">Claimed</h2>
          <table>
            <thead><tr><th scope="col">Epoch</th><th scope="col">Amount</th><th scope="col">Block</th></tr></thead>
            <tbody>{data.acct.claims.map((c) => <tr key={c.epoch}><td>{c.epoch}</td><td>{formatToken(BigInt(c.amount))}</td><td>{c.blockNumber}</td></tr>)}</tbody>
          </table>
        </section>
      )}
      {data && (
        <section className="card" aria-labelledby="contrib-stats-h">
          <h2 id="contrib-stats-h">Your contributions</h2>
          <p>{data.acct.contributions} submitted · {data.acct.approved} approved · {data.acct.pending} pending · {data.acct.rejected} rejected</p>
        </section>
      )}
    </>
  );
}
