import { formatUnits, parseUnits } from 'viem';

/** 1234.5678 OPEN with at most 4 decimals, grouped; an amount below 0.0001 with all its decimals (a fee never shows as 0). */
export function formatToken(wei: bigint, symbol = 'OPEN'): string {
  const s = formatUnits(wei, 18);
  const [whole, frac = ''] = s.split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const small = whole === '0' && /^0{4}/.test(frac) && wei !== 0n;
  const f = small ? frac.replace(/0+$/, '') : frac.slice(0, 4).replace(/0+$/, '');
  return `${grouped}${f ? '.' + f : ''} ${symbol}`;
}

/** Parses a user-typed token amount (18 decimals); throws a readable error. */
export function parseAmount(text: string, what = 'amount'): bigint {
  const t = text.trim();
  if (!/^\d+(\.\d{1,18})?$/.test(t)) throw new Error(`${what}: enter a number like 10 or 2.5 (at most 18 decimals)`);
  const v = parseUnits(t, 18);
  if (v === 0n) throw new Error(`${what} must be more than zero`);
  return v;
}

export function shortHex(h: string, n = 6): string {
  return h.length <= 2 + 2 * n ? h : `${h.slice(0, 2 + n)}…${h.slice(-4)}`;
}

/** "in 2d 3h", "in 5m 2s" or "now" from a number of seconds. */
export function countdown(seconds: number): string {
  if (seconds <= 0) return 'now';
  const d = Math.floor(seconds / 86400), h = Math.floor((seconds % 86400) / 3600), m = Math.floor((seconds % 3600) / 60), s = seconds % 60;
  const parts = d ? [`${d}d`, `${h}h`] : h ? [`${h}h`, `${m}m`] : [`${m}m`, `${s}s`];
  return `in ${parts.join(' ')}`;
}

export function dateTime(unixSeconds: number | bigint): string {
  return new Date(Number(unixSeconds) * 1000).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
}
