import { createPublicClient, defineChain, http, type Address, type Chain, type PublicClient } from 'viem';
import { chainConfig } from 'viem/op-stack';
import type { AppConfig, Layer } from './config';

/** Multicall3's canonical address; the devnet installs it on L1 (viem's OP Stack status actions read through it). */
export const MULTICALL3: Address = '0xcA11bde05977b3631167028862bE2a173976CA11';

export function chainOf(cfg: AppConfig, layer: Layer): Chain {
  const l = cfg[layer];
  return defineChain({
    id: l.chainId,
    name: l.name,
    nativeCurrency: l.currency,
    rpcUrls: { default: { http: [l.rpcUrl] } },
    ...(layer === 'l1' ? { contracts: { multicall3: { address: MULTICALL3 } } } : {}),
  });
}

/**
 * The L2 as viem's OP Stack actions want their `targetChain`: OP's formatters and predeploys, plus this devnet's
 * portal and output oracle on L1 (null when L1 has not deployed them).
 */
export function opTargetChain(cfg: AppConfig) {
  const portal = cfg.l1.contracts.OpenPortal, oracle = cfg.l1.contracts.L2OutputOracle;
  if (!portal || !oracle) return null;
  return defineChain({
    ...chainConfig,
    id: cfg.l2.chainId,
    name: cfg.l2.name,
    sourceId: cfg.l1.chainId,
    nativeCurrency: cfg.l2.currency,
    rpcUrls: { default: { http: [cfg.l2.rpcUrl] } },
    contracts: {
      ...chainConfig.contracts,
      portal: { [cfg.l1.chainId]: { address: portal } },
      l2OutputOracle: { [cfg.l1.chainId]: { address: oracle } },
    },
  });
}

/** Read-only clients straight to the devnet's RPC (reads never need the wallet). */
export function publicClients(cfg: AppConfig): Record<Layer, PublicClient> {
  return {
    l1: createPublicClient({ chain: chainOf(cfg, 'l1'), transport: http(cfg.l1.rpcUrl, { retryCount: 1 }), pollingInterval: 500 }) as PublicClient,
    l2: createPublicClient({ chain: chainOf(cfg, 'l2'), transport: http(cfg.l2.rpcUrl, { retryCount: 1 }), pollingInterval: 500 }) as PublicClient,
  };
}
