import { useMemo, useState, type FormEvent } from 'react';
import { decodeEventLog, parseUnits, type Hex } from 'viem';
import { useWallet } from '../wallet';
import { useTx } from '../tx';
import { DatanetsApi, FactoryApi, type FineTuneJob } from '../api';
import { ModelRegistryAbi } from '../generated/abis';
import { formatToken, shortHex } from '../format';
import { describeError } from '../errors';
import { ErrorLine, Field, NeedAccount, Unavailable, useLoad } from '../ui';

export function FactoryPage() {
  const { cfg } = useWallet();
  const apiUrl = cfg.services.datanetsApi, factoryUrl = cfg.services.factory;
  const api = useMemo(() => (apiUrl ? new DatanetsApi(apiUrl) : null), [apiUrl]);
  const factory = useMemo(() => (factoryUrl ? new FactoryApi(factoryUrl) : null), [factoryUrl]);
  const [watching, setWatching] = useState<number | null>(null);
  return (
    <>
      <h1>ModelFactory</h1>
      {factory
        ? <><StartFineTune factory={factory} onStarted={setWatching} /><Jobs factory={factory} watching={watching} onWatch={setWatching} /></>
        : <Unavailable title="Fine-tuning">No fine-tune service runs here (the node's API serves one when started with <code>--models-dir</code>), so fine-tunes cannot be started from the browser. Train with <code>openledger model train --datanet</code> on the command line.</Unavailable>}
      {api ? <Models api={api} /> : <Unavailable title="Registered models">The Datanets API, which lists registered models, is not running.</Unavailable>}
    </>
  );
}

function StartFineTune({ factory, onStarted }: { factory: FactoryApi; onStarted: (id: number) => void }) {
  const datanets = useLoad(() => factory.datanets(), [factory], 5000);
  const models = useLoad(() => factory.baseModels(), [factory]);
  const published = datanets.data?.items.filter((d) => d.versions > 0) ?? [];
  const [dn, setDn] = useState('');
  const [version, setVersion] = useState('');
  const [base, setBase] = useState('');
  const [steps, setSteps] = useState('20');
  const [rank, setRank] = useState('8');
  const [lr, setLr] = useState('0.001');
  const [err, setErr] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const chosenDn = published.find((d) => String(d.id) === dn) ?? published[0];
  const chosenVersion = version || (chosenDn ? String(chosenDn.versions) : '');
  const chosenBase = base || models.data?.items[0] || '';
  const int = (s: string, what: string) => {
    if (!/^\d+$/.test(s.trim())) throw new Error(`${what}: enter a whole number`);
    return Number(s);
  };
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setErr(null);
    try {
      if (!chosenDn) throw new Error('No Datanet has a published version yet: publish one on the Datanets page');
      const learningRate = Number(lr);
      if (!Number.isFinite(learningRate) || learningRate <= 0) throw new Error('Learning rate: enter a positive number like 0.001');
      setBusy(true);
      const job = await factory.start({ datanetId: chosenDn.id, version: Number(chosenVersion), baseModel: chosenBase,
        hyperparameters: { steps: int(steps, 'Steps'), rank: int(rank, 'LoRA rank'), learningRate } });
      onStarted(job.id);
    } catch (x) { setErr(describeError(x)); } finally { setBusy(false); }
  };
  return (
    <form className="card" onSubmit={submit} aria-labelledby="ft-h">
      <h2 id="ft-h">Start a fine-tune</h2>
      <p className="muted">A LoRA adapter trained on a published Datanet version; each contribution gets a gradient sketch, so answers of the adapter credit the contributions they came from.</p>
      <ErrorLine error={datanets.error ?? models.error} />
      <Field id="ft-datanet" label="Datanet">
        <select id="ft-datanet" value={chosenDn ? String(chosenDn.id) : ''} onChange={(e) => { setDn(e.target.value); setVersion(''); }}>
          {published.map((d) => <option key={d.id} value={d.id}>#{d.id} {d.name}</option>)}
        </select>
      </Field>
      <Field id="ft-version" label="Version">
        <select id="ft-version" value={chosenVersion} onChange={(e) => setVersion(e.target.value)}>
          {chosenDn && Array.from({ length: chosenDn.versions }, (_, i) => chosenDn.versions - i).map((v) => <option key={v} value={v}>{v}</option>)}
        </select>
      </Field>
      <Field id="ft-base" label="Base model">
        <select id="ft-base" value={chosenBase} onChange={(e) => setBase(e.target.value)}>
          {models.data?.items.map((m) => <option key={m} value={m}>{m}</option>)}
        </select>
      </Field>
      <Field id="ft-steps" label="Steps"><input id="ft-steps" inputMode="numeric" value={steps} onChange={(e) => setSteps(e.target.value)} /></Field>
      <Field id="ft-rank" label="LoRA rank"><input id="ft-rank" inputMode="numeric" value={rank} onChange={(e) => setRank(e.target.value)} /></Field>
      <Field id="ft-lr" label="Learning rate"><input id="ft-lr" inputMode="decimal" value={lr} onChange={(e) => setLr(e.target.value)} /></Field>
      <ErrorLine error={err} />
      <button type="submit" className="primary" disabled={busy || !chosenDn || !chosenBase}>Start fine-tune</button>
    </form>
  );
}

function Jobs({ factory, watching, onWatch }: { factory: FactoryApi; watching: number | null; onWatch: (id: number) => void }) {
  const list = useLoad(() => factory.jobs(), [factory], 2000);
  const shown = watching ?? list.data?.[0]?.id ?? null;
  return (
    <section className="card" aria-labelledby="jobs-h">
      <h2 id="jobs-h">Fine-tune jobs</h2>
      <ErrorLine error={list.error} />
      {list.data && list.data.length === 0 && <p className="muted">No jobs yet.</p>}
      {list.data && list.data.length > 0 && (
        <table>
          <thead><tr><th scope="col">#</th><th scope="col">Datanet</th><th scope="col">Base model</th><th scope="col">Status</th><th scope="col">Step</th><th scope="col"><span className="sr-only">Show</span></th></tr></thead>
          <tbody>{list.data.map((j) => (
            <tr key={j.id}><td>{j.id}</td><td>#{j.datanetId} v{j.version}</td><td>{j.baseModel}</td><td>{j.status}</td><td>{j.step}/{j.totalSteps}</td>
              <td><button type="button" onClick={() => onWatch(j.id)} aria-label={`Show job ${j.id}`}>Show</button></td></tr>
          ))}</tbody>
        </table>
      )}
      {shown !== null && <JobDetail factory={factory} id={shown} />}
    </section>
  );
}

function JobDetail({ factory, id }: { factory: FactoryApi; id: number }) {
  const { data: job, error } = useLoad(() => factory.job(id), [factory, id], 1000);
  return (
    <div className="job" aria-labelledby={`job-${id}-h`}>
      <h3 id={`job-${id}-h`}>Job {id}</h3>
      <ErrorLine error={error} />
      {job && (
        <>
          <p data-testid="job-status">Status: <strong>{job.status}</strong> · step {job.step} of {job.totalSteps}
            {job.losses.length > 0 && <> · loss {job.losses[job.losses.length - 1].loss.toFixed(4)}</>}</p>
          <progress max={job.totalSteps} value={job.step} aria-label={`Training progress of job ${id}`} />
          {job.error && <p className="error" role="alert">Failed: {job.error}</p>}
          {job.losses.length > 1 && <LossCurve job={job} />}
          {job.status === 'succeeded' && <NeedAccount><Register job={job} /></NeedAccount>}
        </>
      )}
    </div>
  );
}

/** The training loss per step as an SVG line (the numbers stay readable in the title and the table-free summary). */
function LossCurve({ job }: { job: FineTuneJob }) {
  const w = 480, h = 160, pad = 28;
  const pts = job.losses;
  const max = Math.max(...pts.map((p) => p.loss)), min = Math.min(...pts.map((p) => p.loss));
  const span = max - min || 1, last = Math.max(job.totalSteps, pts[pts.length - 1].step);
  const x = (s: number) => pad + ((s - 1) / Math.max(1, last - 1)) * (w - 2 * pad);
  const y = (l: number) => h - pad - ((l - min) / span) * (h - 2 * pad);
  const first = pts[0], end = pts[pts.length - 1];
  const summary = `Loss from ${first.loss.toFixed(4)} at step ${first.step} to ${end.loss.toFixed(4)} at step ${end.step}`;
  return (
    <figure className="loss-curve">
      <svg viewBox={`0 0 ${w} ${h}`} width="100%" role="img" aria-label={summary}>
        <line x1={pad} y1={h - pad} x2={w - pad} y2={h - pad} stroke="currentColor" strokeWidth="1" />
        <line x1={pad} y1={pad} x2={pad} y2={h - pad} stroke="currentColor" strokeWidth="1" />
        <polyline fill="none" stroke="#1f5fbf" strokeWidth="2" points={pts.map((p) => `${x(p.step).toFixed(1)},${y(p.loss).toFixed(1)}`).join(' ')} />
        <text x={pad + 4} y={pad - 8} fontSize="11" fill="currentColor">{max.toFixed(3)}</text>
        <text x={pad + 4} y={h - pad - 4} fontSize="11" fill="currentColor">{min.toFixed(3)}</text>
        <text x={w - pad} y={h - 8} fontSize="11" fill="currentColor" textAnchor="end">step {last}</text>
      </svg>
      <figcaption>{summary}</figcaption>
    </figure>
  );
}

function Register({ job }: { job: FineTuneJob }) {
  const { cfg } = useWallet();
  const tx = useTx();
  const registry = cfg.l2.contracts.ModelRegistry;
  const [price, setPrice] = useState('0.001');
  const [name, setName] = useState(job.baseModel);
  const [err, setErr] = useState<string | null>(null);
  const [registered, setRegistered] = useState<bigint | null>(null);
  if (!registry) return <p className="error">ModelRegistry is not in this network's L2 deployments file.</p>;
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setErr(null);
    let p: bigint;
    try {
      if (!/^\d+(\.\d{1,18})?$/.test(price.trim())) throw new Error('Price: enter a number of OPEN like 0.001');
      p = parseUnits(price.trim(), 18);
      if (!name.trim()) throw new Error('Base model name is required');
    } catch (x) { setErr((x as Error).message); return; }
    const refs = job.trainedOn.map((r) => ({ datanetId: BigInt(r.datanetId), version: BigInt(r.version), root: r.root }));
    const receipt = await tx.send({
      layer: 'l2', title: 'Register the adapter', contractName: 'ModelRegistry', address: registry, abi: ModelRegistryAbi, functionName: 'registerModel',
      args: [1, name.trim(), `openledger:factory-job:${job.id}`, job.adapterHash as Hex, job.trainingConfigHash as Hex, refs, p],
      summary: [`Registers LoRA adapter ${shortHex(job.adapterHash!)} of ${job.baseModel} in ModelRegistry, owned by you`,
        `Trained on ${job.trainedOn.map((r) => `Datanet ${r.datanetId} v${r.version}`).join(', ')} (roots checked on-chain)`,
        `Inference price: ${formatToken(p)} per 1k tokens`],
    });
    if (!receipt) return;
    for (const log of receipt.logs) {
      try {
        const ev = decodeEventLog({ abi: ModelRegistryAbi, data: log.data, topics: log.topics });
        if (ev.eventName === 'ModelRegistered') setRegistered((ev.args as { modelId: bigint }).modelId);
      } catch { /* another contract's log */ }
    }
  };
  return (
    <form onSubmit={submit} aria-labelledby={`reg-${job.id}-h`}>
      <h4 id={`reg-${job.id}-h`}>Register the adapter</h4>
      <p>Adapter <code>{shortHex(job.adapterHash!)}</code>, {job.examples} contributions sketched.</p>
      <Field id={`reg-${job.id}-name`} label="Base model name"><input id={`reg-${job.id}-name`} value={name} onChange={(e) => setName(e.target.value)} /></Field>
      <Field id={`reg-${job.id}-price`} label="Price per 1k tokens (OPEN)"><input id={`reg-${job.id}-price`} inputMode="decimal" value={price} onChange={(e) => setPrice(e.target.value)} /></Field>
      <ErrorLine error={err} />
      <button type="submit" className="primary">Register</button>
      {registered !== null && <p role="status" className="ok">Registered as model {registered.toString()}</p>}
    </form>
  );
}

function Models({ api }: { api: DatanetsApi }) {
  const { data, error } = useLoad(() => api.models(), [api], 5000);
  return (
    <section className="card" aria-labelledby="models-h">
      <h2 id="models-h">Registered models (ModelRegistry)</h2>
      <ErrorLine error={error} />
      {data && data.items.length === 0 && <p className="muted">No model registered yet.</p>}
      {data && data.items.length > 0 && (
        <table>
          <thead><tr><th scope="col">#</th><th scope="col">Base model</th><th scope="col">Kind</th><th scope="col">Owner</th><th scope="col">Price / 1k tokens</th><th scope="col">Versions</th><th scope="col">Active</th></tr></thead>
          <tbody>{data.items.map((m) => (
            <tr key={m.id}><td>{m.id}</td><td>{m.baseModel}</td><td>{m.kind}</td><td><code>{shortHex(m.owner)}</code></td><td>{formatToken(BigInt(m.pricePer1kTokens))}</td><td>{m.versions}</td><td>{m.active ? 'yes' : 'no'}</td></tr>
          ))}</tbody>
        </table>
      )}
    </section>
  );
}
