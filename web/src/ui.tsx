import { useEffect, useState, type ReactNode } from 'react';
import { useWallet } from './wallet';

/** Re-runs `load` when its deps or the wallet's revision change, and every `pollMs` (the indexer and other tabs move the data). */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[], pollMs = 0): { data: T | null; error: string | null; reload: () => void } {
  const { revision } = useWallet();
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    load().then((d) => { if (live) { setData(d); setError(null); } }, (e) => live && setError((e as Error).message ?? String(e)));
    return () => { live = false; };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, revision, tick]);
  useEffect(() => {
    if (!pollMs) return;
    const t = setInterval(() => setTick((x) => x + 1), pollMs);
    return () => clearInterval(t);
  }, [pollMs]);
  return { data, error, reload: () => setTick((x) => x + 1) };
}

export function Unavailable({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section className="card unavailable" aria-label={title}>
      <h2>{title}</h2>
      <p><strong>Not available on this network yet.</strong> {children}</p>
    </section>
  );
}

export function NeedAccount({ children }: { children: ReactNode }) {
  const { account, connect, hasWallet } = useWallet();
  const [err, setErr] = useState<string | null>(null);
  if (account) return <>{children}</>;
  return (
    <section className="card">
      <p>Connect your wallet to use this page.</p>
      <button type="button" className="primary" disabled={!hasWallet} onClick={() => connect().catch((e) => setErr(e.message))}>Connect wallet</button>
      {!hasWallet && <p className="error">No wallet found: install MetaMask (or another EIP-1193 wallet) and reload.</p>}
      {err && <p className="error" role="alert">{err}</p>}
    </section>
  );
}

export function ErrorLine({ error }: { error: string | null }) {
  return error ? <p className="error" role="alert">{error}</p> : null;
}

export function Field({ id, label, children, hint }: { id: string; label: string; children: ReactNode; hint?: string }) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children}
      {hint && <small id={`${id}-hint`}>{hint}</small>}
    </div>
  );
}
