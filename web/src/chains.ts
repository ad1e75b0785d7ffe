import { createPublicClient, defineChain, http, type Chain, type PublicClient } from 'viem';
import type { AppConfig, Layer } from './config';

export function chainOf(cfg: AppConfig, layer: Layer): Chain {
  const l = cfg[layer];
  return defineChain({
    id: l.chainId,
    name: l.name,
    nativeCurrency: l.currency,
    rpcUrls: { default: { http: [l.rpcUrl] } },
  });
}

/** Read-only clients straight to the devnet's RPC (reads never need the wallet). */
export function publicClients(cfg: AppConfig): Record<Layer, PublicClient> {
  return {
    l1: createPublicClient({ chain: chainOf(cfg, 'l1'), transport: http(cfg.l1.rpcUrl, { retryCount: 1 }), pollingInterval: 500 }) as PublicClient,
    l2: createPublicClient({ chain: chainOf(cfg, 'l2'), transport: http(cfg.l2.rpcUrl, { retryCount: 1 }), pollingInterval: 500 }) as PublicClient,
  };
}
