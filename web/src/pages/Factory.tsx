import { useMemo } from 'react';
import { useWallet } from '../wallet';
import { DatanetsApi } from '../api';
import { formatToken, shortHex } from '../format';
import { ErrorLine, Unavailable, useLoad } from '../ui';

export function FactoryPage() {
  const { cfg } = useWallet();
  const apiUrl = cfg.services.datanetsApi;
  const api = useMemo(() => (apiUrl ? new DatanetsApi(apiUrl) : null), [apiUrl]);
  return (
    <>
      <h1>ModelFactory</h1>
      {cfg.services.factory
        ? <Unavailable title="Fine-tuning">The ModelFactory service runs at <code>{cfg.services.factory}</code>, but this app does not drive training jobs yet: start them with <code>openledger model</code>.</Unavailable>
        : <Unavailable title="Fine-tuning">No ModelFactory training service runs on this devnet, so fine-tunes cannot be started from the browser. Train with <code>openledger model</code> on the command line.</Unavailable>}
      {api ? <Models api={api} /> : <Unavailable title="Registered models">The Datanets API, which lists registered models, is not running.</Unavailable>}
    </>
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
