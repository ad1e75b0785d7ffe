import { useEffect, useState, type MouseEvent } from 'react';
import type { AppConfig } from './config';
import { WalletProvider, useWallet } from './wallet';
import { TxProvider } from './tx';
import { shortHex } from './format';
import { ConnectPage } from './pages/Connect';
import { DatanetsPage } from './pages/Datanets';
import { StakingPage } from './pages/Staking';
import { GovernancePage } from './pages/Governance';
import { RewardsPage } from './pages/Rewards';
import { BridgePage } from './pages/Bridge';
import { FactoryPage } from './pages/Factory';
import { PlaygroundPage } from './pages/Playground';

const base = import.meta.env.BASE_URL; // "/app/"
const routes = [
  { path: '', label: 'Connect', page: ConnectPage },
  { path: 'datanets', label: 'Datanets', page: DatanetsPage },
  { path: 'staking', label: 'Staking', page: StakingPage },
  { path: 'governance', label: 'Governance', page: GovernancePage },
  { path: 'rewards', label: 'Rewards', page: RewardsPage },
  { path: 'bridge', label: 'Bridge', page: BridgePage },
  { path: 'factory', label: 'ModelFactory', page: FactoryPage },
  { path: 'playground', label: 'Playground', page: PlaygroundPage },
] as const;

function currentPath(): string {
  const p = window.location.pathname;
  return p.startsWith(base) ? p.slice(base.length).replace(/\/+$/, '') : '';
}

export function App({ cfg }: { cfg: AppConfig }) {
  const [path, setPath] = useState(currentPath());
  useEffect(() => {
    const onPop = () => setPath(currentPath());
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);
  const route = routes.find((r) => r.path === path);
  useEffect(() => { document.title = `${route?.label ?? 'Not found'} · OpenLedger`; }, [route]);
  const go = (e: MouseEvent<HTMLAnchorElement>, to: string) => {
    if (e.metaKey || e.ctrlKey || e.shiftKey || e.button !== 0) return;
    e.preventDefault();
    window.history.pushState(null, '', base + to);
    setPath(to);
    document.getElementById('main')?.focus();
  };
  const Page = route?.page;
  return (
    <WalletProvider cfg={cfg}>
      <TxProvider>
        <a className="skip" href="#main">Skip to content</a>
        <header className="top">
          <span className="brand">OpenLedger</span>
          <nav aria-label="Main">
            <ul>
              {routes.map((r) => (
                <li key={r.path}>
                  <a href={base + r.path} aria-current={r.path === path ? 'page' : undefined} onClick={(e) => go(e, r.path)}>{r.label}</a>
                </li>
              ))}
            </ul>
          </nav>
          <AccountBadge />
        </header>
        <main id="main" className="page" tabIndex={-1}>
          {Page ? <Page /> : <><h1>Not found</h1><p>No page at {window.location.pathname}.</p></>}
        </main>
      </TxProvider>
    </WalletProvider>
  );
}

function AccountBadge() {
  const { account, chainId, cfg } = useWallet();
  if (!account) return <span className="badge">Not connected</span>;
  const net = chainId === cfg.l2.chainId ? cfg.l2.name : chainId === cfg.l1.chainId ? cfg.l1.name : `chain ${chainId}`;
  return <span className="badge" data-testid="account-badge" title={account}>{shortHex(account)} · {net}</span>;
}
