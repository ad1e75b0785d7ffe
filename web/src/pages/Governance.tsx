import { useState, type FormEvent } from 'react';
import { encodeFunctionData, getAddress, isAddress, keccak256, toBytes, type Address, type Hex } from 'viem';
import { useWallet } from '../wallet';
import { useTx } from '../tx';
import { OpenGovernorAbi, OpenTokenAbi, OpenVestingWalletAbi } from '../generated/abis';
import { countdown, dateTime, formatToken, parseAmount, shortHex } from '../format';
import { ErrorLine, Field, NeedAccount, Unavailable, useLoad } from '../ui';

const STATES = ['Pending', 'Active', 'Canceled', 'Defeated', 'Succeeded', 'Queued', 'Expired', 'Executed'] as const;

export function GovernancePage() {
  const { cfg } = useWallet();
  const governor = cfg.l1.contracts.OpenGovernor, token = cfg.l1.contracts.OpenToken, timelock = cfg.l1.contracts.TimelockController;
  if (!governor || !token || !timelock) return <><h1>Governance</h1><Unavailable title="Governance">OpenGovernor, OpenToken or TimelockController is not in this devnet's L1 deployments file.</Unavailable></>;
  return (
    <>
      <h1>Governance</h1>
      <p className="muted">OPEN holders govern the protocol on L1: delegate your votes (to yourself to vote directly), propose, vote, then queue and execute through the timelock.</p>
      <NeedAccount>
        <Votes governor={governor} token={token} />
        <Proposals governor={governor} />
        <Propose governor={governor} token={token} timelock={timelock} />
      </NeedAccount>
    </>
  );
}

function Votes({ governor, token }: { governor: Address; token: Address }) {
  const { clients, account, cfg } = useWallet();
  const tx = useTx();
  const me = account!;
  const [to, setTo] = useState('');
  const [err, setErr] = useState<string | null>(null);
  const vestings = (['TeamVesting', 'InvestorVesting'] as const).filter((n) => cfg.l1.contracts[n]).map((n) => ({ name: n, address: cfg.l1.contracts[n] }));
  const { data, error } = useLoad(async () => {
    const c = clients.l1;
    const block = await c.getBlock();
    const [balance, votes, delegate, threshold, delay, period, quorum] = await Promise.all([
      c.readContract({ address: token, abi: OpenTokenAbi, functionName: 'balanceOf', args: [me] }),
      c.readContract({ address: token, abi: OpenTokenAbi, functionName: 'getVotes', args: [me] }),
      c.readContract({ address: token, abi: OpenTokenAbi, functionName: 'delegates', args: [me] }),
      c.readContract({ address: governor, abi: OpenGovernorAbi, functionName: 'proposalThreshold' }),
      c.readContract({ address: governor, abi: OpenGovernorAbi, functionName: 'votingDelay' }),
      c.readContract({ address: governor, abi: OpenGovernorAbi, functionName: 'votingPeriod' }),
      c.readContract({ address: governor, abi: OpenGovernorAbi, functionName: 'quorum', args: [block.timestamp - 1n] }),
    ]);
    const mine = [];
    for (const v of vestings) {
      const owner = await c.readContract({ address: v.address, abi: OpenVestingWalletAbi, functionName: 'owner' });
      if (owner.toLowerCase() !== me.toLowerCase()) continue;
      const [locked, del] = await Promise.all([
        c.readContract({ address: token, abi: OpenTokenAbi, functionName: 'balanceOf', args: [v.address] }),
        c.readContract({ address: token, abi: OpenTokenAbi, functionName: 'delegates', args: [v.address] }),
      ]);
      mine.push({ ...v, locked, delegate: del });
    }
    return { balance, votes, delegate, threshold, delay, period, quorum, vestings: mine };
  }, [me], 4000);

  const target = (): Address | null => {
    const t = to.trim() || me;
    if (!isAddress(t)) { setErr('Delegate to: not an address (0x followed by 40 hex digits)'); return null; }
    setErr(null);
    return getAddress(t);
  };
  const delegate = (e: FormEvent) => {
    e.preventDefault();
    const d = target();
    if (!d) return;
    tx.send({
      layer: 'l1', title: 'Delegate votes', contractName: 'OpenToken', address: token, abi: OpenTokenAbi, functionName: 'delegate', args: [d],
      summary: [d === me ? 'Makes your OPEN count as your own votes' : `Gives the votes of your OPEN to ${d}`, 'Your tokens stay in your wallet; only the voting power moves'],
    });
  };
  const delegateVesting = (v: { name: string; address: Address; locked: bigint }) => {
    const d = target();
    if (!d) return;
    tx.send({
      layer: 'l1', title: `Delegate ${v.name} votes`, contractName: 'OpenVestingWallet', address: v.address, abi: OpenVestingWalletAbi, functionName: 'delegate', args: [token, d],
      summary: [`Gives the votes of the ${formatToken(v.locked)} locked in ${v.name} to ${d === me ? 'you' : d}`, 'You are its beneficiary; the tokens stay locked'],
    });
  };
  return (
    <section className="card" aria-labelledby="votes-h">
      <h2 id="votes-h">Your votes</h2>
      <ErrorLine error={error} />
      {data && (
        <dl className="facts">
          <dt>OPEN on L1</dt><dd>{formatToken(data.balance)}</dd>
          <dt>Voting power</dt><dd data-testid="voting-power">{formatToken(data.votes)}</dd>
          <dt>Delegated to</dt><dd>{/^0x0+$/.test(data.delegate) ? 'nobody (your OPEN does not vote yet)' : data.delegate.toLowerCase() === me.toLowerCase() ? 'yourself' : <code>{data.delegate}</code>}</dd>
          <dt>Rules</dt><dd>proposal threshold {formatToken(data.threshold)}, voting starts {Number(data.delay) / 86400} day(s) after a proposal and lasts {Number(data.period) / 86400} days, quorum {formatToken(data.quorum)}</dd>
        </dl>
      )}
      <form onSubmit={delegate}>
        <Field id="del-to" label="Delegate to (empty: yourself)"><input id="del-to" value={to} onChange={(e) => setTo(e.target.value)} placeholder={me} /></Field>
        <ErrorLine error={err} />
        <div className="row">
          <button type="submit" className="primary">Delegate</button>
          {data?.vestings.map((v) => (
            <button key={v.name} type="button" onClick={() => delegateVesting(v)}>Delegate {v.name} ({formatToken(v.locked)} locked{/^0x0+$/.test(v.delegate) ? '' : `, now ${shortHex(v.delegate)}`})</button>
          ))}
        </div>
      </form>
    </section>
  );
}

interface Proposal { id: bigint; proposer: Address; targets: readonly Address[]; values: readonly bigint[]; calldatas: readonly Hex[]; description: string; voteStart: bigint; voteEnd: bigint }

function Proposals({ governor }: { governor: Address }) {
  const { clients, account } = useWallet();
  const tx = useTx();
  const { data, error } = useLoad(async () => {
    const c = clients.l1;
    const [logs, block] = await Promise.all([
      c.getContractEvents({ address: governor, abi: OpenGovernorAbi, eventName: 'ProposalCreated', fromBlock: 0n }),
      c.getBlock(),
    ]);
    const list = await Promise.all(logs.map(async (l) => {
      const a = l.args as { proposalId: bigint; proposer: Address; targets: Address[]; values: bigint[]; calldatas: Hex[]; description: string; voteStart: bigint; voteEnd: bigint };
      const p: Proposal = { id: a.proposalId, proposer: a.proposer, targets: a.targets, values: a.values, calldatas: a.calldatas, description: a.description, voteStart: a.voteStart, voteEnd: a.voteEnd };
      const [state, votes, eta, voted] = await Promise.all([
        c.readContract({ address: governor, abi: OpenGovernorAbi, functionName: 'state', args: [p.id] }),
        c.readContract({ address: governor, abi: OpenGovernorAbi, functionName: 'proposalVotes', args: [p.id] }),
        c.readContract({ address: governor, abi: OpenGovernorAbi, functionName: 'proposalEta', args: [p.id] }),
        c.readContract({ address: governor, abi: OpenGovernorAbi, functionName: 'hasVoted', args: [p.id, account!] }),
      ]);
      return { p, state: STATES[state] ?? `state ${state}`, votes, eta, voted };
    }));
    return { list: list.reverse(), now: Number(block.timestamp) };
  }, [governor, account], 4000);

  const args = (p: Proposal) => [p.targets, p.values, p.calldatas, keccak256(toBytes(p.description))] as const;
  const title = (p: Proposal) => p.description.split('\n')[0].slice(0, 80);
  const vote = (p: Proposal, support: 0 | 1 | 2) => tx.send({
    layer: 'l1', title: 'Vote', contractName: 'OpenGovernor', address: governor, abi: OpenGovernorAbi, functionName: 'castVote', args: [p.id, support],
    summary: [`Votes ${['AGAINST', 'FOR', 'ABSTAIN'][support]} “${title(p)}”`, 'with your voting power at the proposal snapshot; a vote cannot be changed'],
  });
  const queue = (p: Proposal) => tx.send({
    layer: 'l1', title: 'Queue a proposal', contractName: 'OpenGovernor', address: governor, abi: OpenGovernorAbi, functionName: 'queue', args: args(p),
    summary: [`Queues “${title(p)}” in the timelock`, 'Anyone can execute it once the timelock delay has passed'],
  });
  const execute = (p: Proposal) => tx.send({
    layer: 'l1', title: 'Execute a proposal', contractName: 'OpenGovernor', address: governor, abi: OpenGovernorAbi, functionName: 'execute', args: args(p),
    summary: [`Executes “${title(p)}”: ${p.targets.length} call(s) from the timelock`],
  });

  return (
    <section className="card" aria-labelledby="props-h">
      <h2 id="props-h">Proposals</h2>
      <ErrorLine error={error} />
      {data && data.list.length === 0 && <p className="muted">No proposals yet.</p>}
      {data && data.list.map(({ p, state, votes, eta, voted }) => (
        <article key={p.id.toString()} className="card" aria-label={`Proposal ${title(p)}`} data-testid="proposal">
          <h3>{title(p)}</h3>
          <p>State: <strong data-testid="proposal-state">{state}</strong> · by <code>{shortHex(p.proposer)}</code> · id <code>{shortHex(p.id.toString(16).padStart(2, '0'), 8)}</code></p>
          <p>For {formatToken(votes[1])} · Against {formatToken(votes[0])} · Abstain {formatToken(votes[2])}</p>
          <p className="muted">
            {state === 'Pending' && `Voting opens ${dateTime(p.voteStart)} (${countdown(Number(p.voteStart) - data.now)})`}
            {state === 'Active' && `Voting closes ${dateTime(p.voteEnd)} (${countdown(Number(p.voteEnd) - data.now)})`}
            {state === 'Queued' && `Executable ${dateTime(eta)} (${countdown(Number(eta) - data.now)})`}
          </p>
          <div className="row">
            {state === 'Active' && !voted && <>
              <button type="button" className="primary" onClick={() => vote(p, 1)}>Vote for</button>
              <button type="button" onClick={() => vote(p, 0)}>Vote against</button>
              <button type="button" onClick={() => vote(p, 2)}>Abstain</button>
            </>}
            {state === 'Active' && voted && <span>You voted.</span>}
            {state === 'Succeeded' && <button type="button" className="primary" onClick={() => queue(p)}>Queue</button>}
            {state === 'Queued' && <button type="button" className="primary" onClick={() => execute(p)}>Execute</button>}
          </div>
        </article>
      ))}
    </section>
  );
}

function Propose({ governor, token, timelock }: { governor: Address; token: Address; timelock: Address }) {
  const tx = useTx();
  const [to, setTo] = useState('');
  const [amount, setAmount] = useState('');
  const [description, setDescription] = useState('');
  const [err, setErr] = useState<string | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setErr(null);
    let v: bigint;
    try {
      if (!isAddress(to.trim())) throw new Error('Recipient: not an address (0x followed by 40 hex digits)');
      v = parseAmount(amount, 'Amount');
      if (!description.trim()) throw new Error('Description: say what the proposal does and why');
    } catch (x) { setErr((x as Error).message); return; }
    const recipient = getAddress(to.trim());
    const data = encodeFunctionData({ abi: OpenTokenAbi, functionName: 'transfer', args: [recipient, v] });
    const done = await tx.send({
      layer: 'l1', title: 'Create a proposal', contractName: 'OpenGovernor', address: governor, abi: OpenGovernorAbi, functionName: 'propose',
      args: [[token], [0n], [data], description.trim()],
      summary: [`Proposes that the treasury (timelock ${shortHex(timelock)}) sends ${formatToken(v)} to ${recipient}`, 'Needs your voting power at or above the proposal threshold'],
    });
    if (done) { setTo(''); setAmount(''); setDescription(''); }
  };
  return (
    <form className="card" onSubmit={submit} aria-labelledby="propose-h">
      <h2 id="propose-h">Propose a treasury grant</h2>
      <Field id="pr-to" label="Recipient"><input id="pr-to" value={to} onChange={(e) => setTo(e.target.value)} /></Field>
      <Field id="pr-amount" label="Amount (OPEN from the treasury)"><input id="pr-amount" inputMode="decimal" value={amount} onChange={(e) => setAmount(e.target.value)} /></Field>
      <Field id="pr-desc" label="Description"><textarea id="pr-desc" rows={3} value={description} onChange={(e) => setDescription(e.target.value)} /></Field>
      <ErrorLine error={err} />
      <button type="submit" className="primary">Propose</button>
    </form>
  );
}
