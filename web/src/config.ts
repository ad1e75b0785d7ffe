import { isAddress, type Address } from 'viem';

/** One chain as /app/config.json describes it (the devnet builds it from its endpoints and deployments files). */
export interface LayerConfig {
  chainId: number;
  name: string;
  rpcUrl: string;
  currency: { name: string; symbol: string; decimals: number };
  contracts: Record<string, Address>;
  devMethods: boolean;
  /** L2 only: the devnet derives deposits from OpenPortal and proposes outputs (the bridge runs). */
  bridge: boolean;
}

export interface AppConfig {
  l1: LayerConfig;
  l2: LayerConfig;
  /** Service name -> base URL; null or absent: not running. */
  services: Record<string, string | null>;
}

export type Layer = 'l1' | 'l2';

function fail(what: string): never {
  throw new Error(`config.json: ${what}`);
}

function url(v: unknown, where: string): string {
  if (typeof v !== 'string') fail(`${where} is not a string`);
  try {
    const u = new URL(v);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') fail(`${where} is not an http(s) URL: ${v}`);
  } catch {
    fail(`${where} is not a URL: ${String(v)}`);
  }
  return v.replace(/\/+$/, '');
}

function layer(v: unknown, where: string): LayerConfig {
  if (typeof v !== 'object' || v === null) fail(`${where} is missing`);
  const o = v as Record<string, unknown>;
  if (typeof o.chainId !== 'number' || !Number.isSafeInteger(o.chainId) || o.chainId <= 0) fail(`${where}.chainId is not a positive integer`);
  if (typeof o.name !== 'string' || !o.name) fail(`${where}.name is missing`);
  const c = o.currency as Record<string, unknown> | undefined;
  if (!c || typeof c.symbol !== 'string' || typeof c.name !== 'string' || c.decimals !== 18) fail(`${where}.currency must name a symbol with 18 decimals`);
  const contracts: Record<string, Address> = {};
  for (const [k, a] of Object.entries((o.contracts ?? {}) as Record<string, unknown>)) {
    if (typeof a !== 'string' || !isAddress(a)) fail(`${where}.contracts.${k} is not an address`);
    contracts[k] = a as Address;
  }
  return {
    chainId: o.chainId,
    name: o.name,
    rpcUrl: url(o.rpcUrl, `${where}.rpcUrl`),
    currency: { name: c.name as string, symbol: c.symbol as string, decimals: 18 },
    contracts,
    devMethods: o.devMethods === true,
    bridge: o.bridge === true,
  };
}

/** Parses and checks the devnet's config (exported for the tests of bad input). */
export function parseConfig(raw: unknown): AppConfig {
  if (typeof raw !== 'object' || raw === null) fail('not a JSON object');
  const o = raw as Record<string, unknown>;
  const services: Record<string, string | null> = {};
  for (const [k, v] of Object.entries((o.services ?? {}) as Record<string, unknown>))
    services[k] = v === null || v === undefined ? null : url(v, `services.${k}`);
  return { l1: layer(o.l1, 'l1'), l2: layer(o.l2, 'l2'), services };
}

export async function loadConfig(): Promise<AppConfig> {
  const res = await fetch(`${import.meta.env.BASE_URL}config.json`, { cache: 'no-store' });
  if (!res.ok) throw new Error(`config.json: HTTP ${res.status}`);
  return parseConfig(await res.json());
}

/** A contract address of a layer, or null when the deployments file does not list it. */
export function contractAddress(cfg: AppConfig, layerName: Layer, name: string): Address | null {
  return cfg[layerName].contracts[name] ?? null;
}
