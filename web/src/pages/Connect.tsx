import { useState } from 'react';
import type { Address } from 'viem';
import { useWallet } from '../wallet';
import { OpenTokenAbi } from '../generated/abis';
import { formatToken } from '../format';
import { useLoad, ErrorLine } from '../ui';
import type { Layer } from '../config';

export function ConnectPage() {
  const w = useWallet();
  const { cfg } = w;
  const [err, setErr] = useState<string | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const act = (f: () => Promise<void>, done: string) => { setErr(null); setNote(null); f().then(() => setNote(done), (e) => setErr(e.message ?? String(e))); };

  return (
    <>
      <h1>Connect</h1>
      <section className="card" aria-labelledby="wallet-h">
        <h2 id="wallet-h">Wallet</h2>
        {!w.hasWallet && <p className="error">No wallet found: install MetaMask (or another EIP-1193 wallet) and reload.</p>}
        <div className="row">
          <button type="button" className="primary" disabled={!w.hasWallet} onClick={() => act(w.connect, 'Wallet connected')}>
            {w.account ? 'Reconnect wallet' : 'Connect wallet'}
          </button>
          <button type="button" disabled={!w.hasWallet} onClick={() => act(() => w.addNetwork('l2'), `${cfg.l2.name} added and selected`)}>Add {cfg.l2.name} to wallet</button>
          <button type="button" disabled={!w.hasWallet} onClick={() => act(() => w.addNetwork('l1'), `${cfg.l1.name} added and selected`)}>Add {cfg.l1.name} to wallet</button>
        </div>
        <div role="status" aria-live="polite">{note && <p className="ok">{note}</p>}</div>
        <ErrorLine error={err} />
        {w.account && <p>Account <code data-testid="account">{w.account}</code> on chain <span data-testid="chain-id">{w.chainId}</span></p>}
      </section>
      {w.account && <Balances account={w.account} />}
      <div className="grid">
        {(['l2', 'l1'] as Layer[]).map((l) => (
          <section key={l} className="card" aria-labelledby={`net-${l}`}>
            <h2 id={`net-${l}`}>{cfg[l].name}</h2>
            <p className="muted">The values a wallet asks for when you add the network by hand:</p>
            <dl className="facts">
              <dt>Network name</dt><dd>{cfg[l].name}</dd>
              <dt>RPC URL</dt><dd><code>{cfg[l].rpcUrl}</code></dd>
              <dt>Chain ID</dt><dd>{cfg[l].chainId}</dd>
              <dt>Currency</dt><dd>{cfg[l].currency.symbol} ({cfg[l].currency.decimals} decimals)</dd>
            </dl>
          </section>
        ))}
      </div>
      <Services />
    </>
  );
}

function Balances({ account }: { account: Address }) {
  const { cfg, clients } = useWallet();
  const token = cfg.l1.contracts.OpenToken;
  const { data, error } = useLoad(async () => {
    const [l2, eth, l1] = await Promise.all([
      clients.l2.getBalance({ address: account }),
      clients.l1.getBalance({ address: account }),
      token ? clients.l1.readContract({ address: token, abi: OpenTokenAbi, functionName: 'balanceOf', args: [account] }) : Promise.resolve(null),
    ]);
    return { l2, eth, l1 };
  }, [account], 5000);
  return (
    <section className="card" aria-labelledby="bal-h">
      <h2 id="bal-h">Balances</h2>
      <ErrorLine error={error} />
      {data && (
        <dl className="facts">
          <dt>OPEN on L2 ({cfg.l2.name})</dt><dd data-testid="balance-l2">{formatToken(data.l2)}</dd>
          <dt>OPEN on L1 (OpenToken)</dt><dd data-testid="balance-l1">{data.l1 === null ? 'OpenToken is not deployed on L1' : formatToken(data.l1)}</dd>
          <dt>ETH on L1 (gas)</dt><dd data-testid="balance-eth">{formatToken(data.eth, 'ETH')}</dd>
        </dl>
      )}
    </section>
  );
}

function Services() {
  const { cfg } = useWallet();
  const bridge = !!(cfg.l1.contracts.OpenPortal && cfg.l1.contracts.L2OutputOracle && cfg.l2.bridge);
  const rows: [string, boolean, string][] = [
    ['Datanets API', !!cfg.services.datanetsApi, cfg.services.datanetsApi ?? 'not running'],
    ['Bridge (OpenPortal, L2OutputOracle)', bridge, bridge ? cfg.l1.contracts.OpenPortal! : cfg.l1.contracts.OpenPortal ? 'deployed, but this L2 does not derive deposits (--no-rollup)' : 'not deployed on this devnet'],
    ['ModelFactory training', !!cfg.services.factory, cfg.services.factory ?? 'not running'],
    ['Inference (OpenAI-compatible API)', !!cfg.services.inference, cfg.services.inference ?? 'not running'],
  ];
  return (
    <section className="card" aria-labelledby="svc-h">
      <h2 id="svc-h">Services on this network</h2>
      <table>
        <thead><tr><th scope="col">Service</th><th scope="col">State</th><th scope="col">Where</th></tr></thead>
        <tbody>{rows.map(([n, up, where]) => (
          <tr key={n}><td>{n}</td><td className={up ? 'ok' : 'muted'}>{up ? 'available' : 'not available'}</td><td><code>{where}</code></td></tr>
        ))}</tbody>
      </table>
    </section>
  );
}
