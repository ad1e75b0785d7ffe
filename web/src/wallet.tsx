import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { createWalletClient, custom, getAddress, toHex, type Address, type EIP1193Provider, type PublicClient, type WalletClient } from 'viem';
import type { AppConfig, Layer } from './config';
import { chainOf, publicClients } from './chains';

declare global {
  interface Window {
    ethereum?: EIP1193Provider;
  }
}

export interface WalletState {
  cfg: AppConfig;
  clients: Record<Layer, PublicClient>;
  hasWallet: boolean;
  account: Address | null;
  chainId: number | null;
  /** Bumped after each confirmed transaction: pages re-read what they show. */
  revision: number;
  bump(): void;
  connect(): Promise<void>;
  /** wallet_addEthereumChain with the layer's metadata, then wallet_switchEthereumChain. */
  addNetwork(layer: Layer): Promise<void>;
  /** Switches the wallet to the layer's chain, adding it first when the wallet does not know it (error 4902). */
  ensureChain(layer: Layer): Promise<void>;
  walletClient(layer: Layer): WalletClient;
}

const Ctx = createContext<WalletState | null>(null);

export function useWallet(): WalletState {
  const w = useContext(Ctx);
  if (!w) throw new Error('useWallet outside WalletProvider');
  return w;
}

function errorCode(e: unknown): number | undefined {
  const o = e as { code?: number; data?: { originalError?: { code?: number } } };
  return o?.code ?? o?.data?.originalError?.code;
}

export function WalletProvider({ cfg, children }: { cfg: AppConfig; children: ReactNode }) {
  const provider = typeof window !== 'undefined' ? window.ethereum : undefined;
  const clients = useMemo(() => publicClients(cfg), [cfg]);
  const [account, setAccount] = useState<Address | null>(null);
  const [chainId, setChainId] = useState<number | null>(null);
  const [revision, setRevision] = useState(0);

  useEffect(() => {
    if (!provider) return;
    const onAccounts = (accs: readonly string[]) => setAccount(accs.length ? getAddress(accs[0]) : null);
    const onChain = (id: string) => setChainId(Number(id));
    provider.on('accountsChanged', onAccounts as never);
    provider.on('chainChanged', onChain as never);
    // Already authorised (a reload): eth_accounts answers without a prompt.
    provider.request({ method: 'eth_accounts' }).then((a) => onAccounts(a as string[])).catch(() => {});
    provider.request({ method: 'eth_chainId' }).then((id) => onChain(id as string)).catch(() => {});
    return () => {
      provider.removeListener('accountsChanged', onAccounts as never);
      provider.removeListener('chainChanged', onChain as never);
    };
  }, [provider]);

  const need = useCallback((): EIP1193Provider => {
    if (!provider) throw new Error('No wallet found: install MetaMask (or another EIP-1193 wallet) and reload');
    return provider;
  }, [provider]);

  const connect = useCallback(async () => {
    const accs = (await need().request({ method: 'eth_requestAccounts' })) as string[];
    if (!accs.length) throw new Error('The wallet gave no account');
    setAccount(getAddress(accs[0]));
    setChainId(Number(await need().request({ method: 'eth_chainId' })));
  }, [need]);

  const addNetwork = useCallback(async (layer: Layer) => {
    const l = cfg[layer];
    const p = need();
    await p.request({
      method: 'wallet_addEthereumChain',
      params: [{ chainId: toHex(l.chainId), chainName: l.name, rpcUrls: [l.rpcUrl], nativeCurrency: l.currency }],
    });
    await p.request({ method: 'wallet_switchEthereumChain', params: [{ chainId: toHex(l.chainId) }] });
    setChainId(Number(await p.request({ method: 'eth_chainId' })));
  }, [cfg, need]);

  const ensureChain = useCallback(async (layer: Layer) => {
    const p = need();
    const want = cfg[layer].chainId;
    const current = Number(await p.request({ method: 'eth_chainId' }));
    if (current === want) return;
    try {
      await p.request({ method: 'wallet_switchEthereumChain', params: [{ chainId: toHex(want) }] });
    } catch (e) {
      if (errorCode(e) !== 4902) throw e;
      await addNetwork(layer);
    }
    const now = Number(await p.request({ method: 'eth_chainId' }));
    if (now !== want) throw new Error(`The wallet stayed on chain ${now}; switch it to ${cfg[layer].name} (${want})`);
    setChainId(now);
  }, [cfg, need, addNetwork]);

  const walletClient = useCallback((layer: Layer) => {
    if (!account) throw new Error('Connect a wallet first');
    return createWalletClient({ account, chain: chainOf(cfg, layer), transport: custom(need()) });
  }, [account, cfg, need]);

  const value: WalletState = {
    cfg, clients, hasWallet: !!provider, account, chainId, revision,
    bump: () => setRevision((r) => r + 1),
    connect, addNetwork, ensureChain, walletClient,
  };
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}
