import { useMemo, useState, type FormEvent } from 'react';
import { getAddress, isAddress, keccak256, type Address, type Hex } from 'viem';
import { useWallet } from '../wallet';
import { useTx } from '../tx';
import { DatanetsApi, type Datanet } from '../api';
import { DatanetRegistryAbi } from '../generated/abis';
import { formatToken, parseAmount, shortHex } from '../format';
import { ErrorLine, Field, NeedAccount, Unavailable, useLoad } from '../ui';
import { describeError } from '../errors';

const KINDS = ['text', 'image', 'audio'] as const;

export function DatanetsPage() {
  const { cfg } = useWallet();
  const registry = cfg.l2.contracts.DatanetRegistry;
  const apiUrl = cfg.services.datanetsApi;
  const api = useMemo(() => (apiUrl ? new DatanetsApi(apiUrl) : null), [apiUrl]);
  const [selected, setSelected] = useState<number | null>(null);
  if (!registry) return <><h1>Datanets</h1><Unavailable title="Datanets">DatanetRegistry is not in this devnet's L2 deployments file.</Unavailable></>;
  return (
    <>
      <h1>Datanets</h1>
      {api ? <DatanetList api={api} onOpen={setSelected} /> : <Unavailable title="Browse">The Datanets API is not running (start the devnet without --no-api).</Unavailable>}
      <NeedAccount>
        {api && selected !== null && <DatanetDetail api={api} registry={registry} id={selected} />}
        <CreateDatanet registry={registry} />
      </NeedAccount>
    </>
  );
}

function DatanetList({ api, onOpen }: { api: DatanetsApi; onOpen: (id: number) => void }) {
  const { data, error } = useLoad(() => api.datanets(), [api], 3000);
  return (
    <section className="card" aria-labelledby="list-h">
      <h2 id="list-h">All Datanets</h2>
      <ErrorLine error={error} />
      {data && data.items.length === 0 && <p className="muted">No Datanets yet: create the first one below.</p>}
      {data && data.items.length > 0 && (
        <table>
          <thead><tr><th scope="col">#</th><th scope="col">Name</th><th scope="col">Kind</th><th scope="col">Owner</th><th scope="col">Fee</th><th scope="col">Contributions</th><th scope="col">Approved</th><th scope="col">Versions</th><th scope="col"><span className="sr-only">Open</span></th></tr></thead>
          <tbody>
            {data.items.map((d) => (
              <tr key={d.id}>
                <td>{d.id}</td><td>{d.name}</td><td>{d.kind}</td><td><code>{shortHex(d.owner)}</code></td><td>{formatToken(BigInt(d.fee))}</td>
                <td>{d.contributions}</td><td>{d.approved}</td><td>{d.versions}</td>
                <td><button type="button" onClick={() => onOpen(d.id)} aria-label={`Open Datanet ${d.name}`}>Open</button></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function CreateDatanet({ registry }: { registry: Address }) {
  const tx = useTx();
  const [name, setName] = useState('');
  const [uri, setUri] = useState('');
  const [license, setLicense] = useState('CC-BY-4.0');
  const [kind, setKind] = useState(0);
  const [fee, setFee] = useState('0');
  const [maxBytes, setMaxBytes] = useState('1048576');
  const [err, setErr] = useState<string | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setErr(null);
    let feeWei = 0n, max: bigint;
    try {
      if (!name.trim()) throw new Error('Name: enter a name');
      if (fee.trim() !== '0') feeWei = parseAmount(fee, 'Fee');
      if (!/^\d+$/.test(maxBytes) || BigInt(maxBytes) === 0n || BigInt(maxBytes) >= 2n ** 64n) throw new Error('Max file size: a whole number of bytes, more than zero');
      max = BigInt(maxBytes);
    } catch (x) { setErr((x as Error).message); return; }
    const done = await tx.send({
      layer: 'l2', title: 'Create a Datanet', contractName: 'DatanetRegistry', address: registry, abi: DatanetRegistryAbi, functionName: 'createDatanet',
      args: [name.trim(), uri.trim(), license.trim(), kind, feeWei, max],
      summary: [`Creates the ${KINDS[kind]} Datanet “${name.trim()}”, owned by you`, `Contributors pay ${formatToken(feeWei)} per contribution, files up to ${max} bytes`, `License: ${license.trim() || '(none)'}`],
    });
    if (done) { setName(''); setUri(''); }
  };
  return (
    <section className="card" aria-labelledby="create-h">
      <h2 id="create-h">Create a Datanet</h2>
      <form onSubmit={submit}>
        <Field id="dn-name" label="Name"><input id="dn-name" value={name} onChange={(e) => setName(e.target.value)} maxLength={256} /></Field>
        <Field id="dn-uri" label="Metadata URI (optional)"><input id="dn-uri" value={uri} onChange={(e) => setUri(e.target.value)} /></Field>
        <Field id="dn-license" label="License"><input id="dn-license" value={license} onChange={(e) => setLicense(e.target.value)} /></Field>
        <Field id="dn-kind" label="Kind">
          <select id="dn-kind" value={kind} onChange={(e) => setKind(Number(e.target.value))}>{KINDS.map((k, i) => <option key={k} value={i}>{k}</option>)}</select>
        </Field>
        <Field id="dn-fee" label="Fee per contribution (OPEN)"><input id="dn-fee" inputMode="decimal" value={fee} onChange={(e) => setFee(e.target.value)} /></Field>
        <Field id="dn-max" label="Max file size (bytes)"><input id="dn-max" inputMode="numeric" value={maxBytes} onChange={(e) => setMaxBytes(e.target.value)} /></Field>
        <ErrorLine error={err} />
        <button type="submit" className="primary">Create Datanet</button>
      </form>
    </section>
  );
}

function DatanetDetail({ api, registry, id }: { api: DatanetsApi; registry: Address; id: number }) {
  const { account } = useWallet();
  const { data, error } = useLoad(() => api.datanet(id), [api, id], 3000);
  const d = data?.datanet;
  const canReview = !!d && !!account && (d.owner.toLowerCase() === account.toLowerCase() || data!.curators.some((c) => c.toLowerCase() === account.toLowerCase()));
  return (
    <section className="card" aria-labelledby="detail-h">
      <h2 id="detail-h">Datanet #{id}{d ? `: ${d.name}` : ''}</h2>
      <ErrorLine error={error} />
      {d && (
        <>
          <dl className="facts">
            <dt>Owner</dt><dd><code>{d.owner}</code></dd>
            <dt>Kind</dt><dd>{d.kind}</dd>
            <dt>License</dt><dd>{d.license || '—'}</dd>
            <dt>Fee</dt><dd>{formatToken(BigInt(d.fee))}</dd>
            <dt>Max file size</dt><dd>{d.maxFileBytes} bytes</dd>
            <dt>Curators</dt><dd>{data!.curators.length ? data!.curators.map((c) => <code key={c}>{shortHex(c)} </code>) : 'none (the owner reviews)'}</dd>
          </dl>
          {account && d.owner.toLowerCase() === account.toLowerCase() && <Curators registry={registry} id={id} />}
          <Upload api={api} registry={registry} datanet={d} />
          <Contributions api={api} registry={registry} id={id} canReview={canReview} />
          <Versions api={api} registry={registry} id={id} approved={d.approved} canPublish={canReview} />
        </>
      )}
    </section>
  );
}

function Upload({ api, registry, datanet }: { api: DatanetsApi; registry: Address; datanet: Datanet }) {
  const w = useWallet();
  const tx = useTx();
  const [text, setText] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [step, setStep] = useState<string | null>(null);
  const [err, setErr] = useState<string | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setErr(null);
    try {
      const bytes = file ? new Uint8Array(await file.arrayBuffer()) : new TextEncoder().encode(text);
      if (bytes.length === 0) throw new Error('Choose a file or type some text to contribute');
      if (bytes.length > datanet.maxFileBytes) throw new Error(`The content is ${bytes.length} bytes; this Datanet takes at most ${datanet.maxFileBytes}`);
      const contentHash = keccak256(bytes);
      const account = w.account!;
      const chainId = w.cfg.l2.chainId;
      const expiry = BigInt(Math.floor(Date.now() / 1000) + 30 * 60);
      const r = crypto.getRandomValues(new Uint32Array(4));
      const nonce = r.reduce((acc, x) => (acc << 32n) | BigInt(x), 0n);
      setStep('1/2 Sign the upload permit in your wallet (no fee, no transaction)…');
      await w.ensureChain('l2');
      const signature: Hex = await w.walletClient('l2').signTypedData({
        account,
        domain: { name: 'OpenLedger Datanets', version: '1', chainId, verifyingContract: registry },
        types: { Upload: [
          { name: 'datanetId', type: 'uint256' }, { name: 'contentHash', type: 'bytes32' }, { name: 'size', type: 'uint64' },
          { name: 'expiry', type: 'uint64' }, { name: 'nonce', type: 'uint256' }] },
        primaryType: 'Upload',
        message: { datanetId: BigInt(datanet.id), contentHash, size: BigInt(bytes.length), expiry, nonce },
      });
      setStep('Uploading to the Datanets service…');
      await api.upload(datanet.id, bytes, { contributor: account, contentHash, expiry, nonce, signature });
      setStep('2/2 Record the contribution on-chain…');
      const fee = (await w.clients.l2.readContract({ address: registry, abi: DatanetRegistryAbi, functionName: 'getDatanet', args: [BigInt(datanet.id)] })).fee;
      const receipt = await tx.send({
        layer: 'l2', title: 'Contribute to a Datanet', contractName: 'DatanetRegistry', address: registry, abi: DatanetRegistryAbi, functionName: 'contribute',
        args: [BigInt(datanet.id), contentHash, BigInt(bytes.length), ''], value: fee,
        summary: [`Records your ${bytes.length}-byte contribution (content hash ${shortHex(contentHash)}) in Datanet “${datanet.name}”`, `Pays the Datanet's fee: ${formatToken(fee)}`, 'It stays pending until the owner or a curator reviews it'],
      });
      setStep(receipt ? 'Contribution recorded: it is pending review.' : 'The upload is stored but not recorded on-chain; it is deleted after an hour unless you contribute it.');
      if (receipt) { setText(''); setFile(null); }
    } catch (x) {
      setStep(null);
      setErr(describeError(x));
    }
  };
  return (
    <form onSubmit={submit} aria-labelledby="upload-h" className="card">
      <h3 id="upload-h">Contribute</h3>
      {datanet.kind === 'text' && (
        <Field id="up-text" label="Text to contribute"><textarea id="up-text" rows={3} value={text} onChange={(e) => setText(e.target.value)} /></Field>
      )}
      <Field id="up-file" label={datanet.kind === 'text' ? 'Or a file' : 'File'}><input id="up-file" type="file" onChange={(e) => setFile(e.target.files?.[0] ?? null)} /></Field>
      <div role="status" aria-live="polite" data-testid="upload-step">{step}</div>
      <ErrorLine error={err} />
      <button type="submit" className="primary">Sign, upload and contribute</button>
    </form>
  );
}

function Contributions({ api, registry, id, canReview }: { api: DatanetsApi; registry: Address; id: number; canReview: boolean }) {
  const tx = useTx();
  const { data, error } = useLoad(() => api.contributions(id), [api, id], 3000);
  const review = (cid: number, approve: boolean) => tx.send({
    layer: 'l2', title: approve ? 'Approve a contribution' : 'Reject a contribution', contractName: 'DatanetRegistry', address: registry, abi: DatanetRegistryAbi,
    functionName: 'review', args: [BigInt(cid), approve],
    summary: [`${approve ? 'Approves' : 'Rejects'} contribution #${cid} of Datanet #${id}`, approve ? 'Approved contributions can go into the next published version' : 'A rejected contribution never enters a version'],
  });
  return (
    <div aria-labelledby="contrib-h">
      <h3 id="contrib-h">Contributions</h3>
      <ErrorLine error={error} />
      {data && data.items.length === 0 && <p className="muted">None yet.</p>}
      {data && data.items.length > 0 && (
        <table>
          <thead><tr><th scope="col">#</th><th scope="col">Contributor</th><th scope="col">Content</th><th scope="col">Size</th><th scope="col">Status</th>{canReview && <th scope="col">Review</th>}</tr></thead>
          <tbody>{data.items.map((c) => (
            <tr key={c.id}>
              <td>{c.id}</td><td><code>{shortHex(c.contributor)}</code></td>
              <td>{c.contentAvailable ? <a href={`${api.base}/api/contributions/${c.contentHash}`}>{shortHex(c.contentHash)}</a> : <code>{shortHex(c.contentHash)}</code>}</td>
              <td>{c.size}</td><td data-testid={`status-${c.id}`}>{c.status}</td>
              {canReview && <td>{c.status === 'pending' && (
                <div className="row">
                  <button type="button" onClick={() => review(c.id, true)} aria-label={`Approve contribution ${c.id}`}>Approve</button>
                  <button type="button" onClick={() => review(c.id, false)} aria-label={`Reject contribution ${c.id}`}>Reject</button>
                </div>)}</td>}
            </tr>
          ))}</tbody>
        </table>
      )}
    </div>
  );
}

function Versions({ api, registry, id, approved, canPublish }: { api: DatanetsApi; registry: Address; id: number; approved: number; canPublish: boolean }) {
  const tx = useTx();
  const versions = useLoad(() => api.versions(id), [api, id], 3000);
  const published = versions.data?.length ? versions.data[versions.data.length - 1].count : 0;
  // The draft exists only once something is approved (the API answers 409 before): ask only then.
  const draft = useLoad(() => (canPublish && approved > published ? api.draft(id) : Promise.resolve(null)), [api, id, approved, published, canPublish]);
  const d = draft.data;
  const publish = () => d && tx.send({
    layer: 'l2', title: 'Publish a Datanet version', contractName: 'DatanetRegistry', address: registry, abi: DatanetRegistryAbi,
    functionName: 'publishVersion', args: [BigInt(id), d.root, BigInt(d.count)],
    summary: [`Publishes version ${d.nextVersion} of Datanet #${id}: the first ${d.count} approved contributions`, `Merkle root ${shortHex(d.root, 10)} (a model trained on it can cite this root)`],
  });
  return (
    <div aria-labelledby="versions-h">
      <h3 id="versions-h">Versions</h3>
      <ErrorLine error={versions.error} />
      {versions.data && versions.data.length === 0 && <p className="muted">No version published yet.</p>}
      {versions.data && versions.data.length > 0 && (
        <table>
          <thead><tr><th scope="col">Version</th><th scope="col">Contributions</th><th scope="col">Root</th><th scope="col">Block</th></tr></thead>
          <tbody>{versions.data.map((v) => <tr key={v.version} data-testid={`version-${v.version}`}><td>{v.version}</td><td>{v.count}</td><td><code>{shortHex(v.root, 10)}</code></td><td>{v.blockNumber}</td></tr>)}</tbody>
        </table>
      )}
      <ErrorLine error={draft.error} />
      {canPublish && !d && <p className="muted">Nothing new to publish: approve contributions first.</p>}
      {canPublish && d && (
        <p className="row">
          <span>Draft: {d.count} approved contribution(s){d.count > published ? '' : ' (nothing new since the last version)'}</span>
          <button type="button" className="primary" disabled={d.count === 0 || d.count <= published} onClick={publish}>Publish version {d.nextVersion}</button>
        </p>
      )}
    </div>
  );
}

function Curators({ registry, id }: { registry: Address; id: number }) {
  const tx = useTx();
  const [who, setWho] = useState('');
  const [err, setErr] = useState<string | null>(null);
  const set = async (allowed: boolean) => {
    setErr(null);
    if (!isAddress(who.trim())) { setErr('Curator: not an address (0x followed by 40 hex digits)'); return; }
    const a = getAddress(who.trim());
    const done = await tx.send({
      layer: 'l2', title: allowed ? 'Add a curator' : 'Remove a curator', contractName: 'DatanetRegistry', address: registry, abi: DatanetRegistryAbi,
      functionName: 'setCurator', args: [BigInt(id), a, allowed],
      summary: [allowed ? `Lets ${a} review contributions and publish versions of Datanet #${id}` : `Takes ${a}'s curator rights on Datanet #${id} away`],
    });
    if (done) setWho('');
  };
  return (
    <form className="card" aria-labelledby="cur-h" onSubmit={(e) => { e.preventDefault(); set(true); }}>
      <h3 id="cur-h">Curators</h3>
      <Field id="cur-addr" label="Curator address"><input id="cur-addr" value={who} onChange={(e) => setWho(e.target.value)} /></Field>
      <ErrorLine error={err} />
      <div className="row">
        <button type="submit">Add curator</button>
        <button type="button" onClick={() => set(false)}>Remove curator</button>
      </div>
    </form>
  );
}
