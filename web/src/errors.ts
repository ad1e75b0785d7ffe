import { BaseError, ContractFunctionRevertedError, UserRejectedRequestError, decodeErrorResult, type Hex } from 'viem';
import { allErrorsAbi } from './generated/abis';

function fmt(v: unknown): string {
  if (typeof v === 'bigint') return v.toString();
  if (Array.isArray(v)) return `[${v.map(fmt).join(', ')}]`;
  return String(v);
}

function named(name: string, inputs: readonly { name?: string }[] | undefined, args: readonly unknown[] | undefined): string {
  const parts = (args ?? []).map((a, i) => (inputs?.[i]?.name ? `${inputs[i].name}=${fmt(a)}` : fmt(a)));
  return `${name}(${parts.join(', ')})`;
}

/** Revert data decoded against every custom error of our contracts, or null. */
export function decodeRevertData(data: Hex): string | null {
  try {
    const d = decodeErrorResult({ abi: allErrorsAbi, data });
    const item = allErrorsAbi.find((e) => e.name === d.errorName);
    return named(d.errorName, item?.inputs, d.args as readonly unknown[]);
  } catch {
    return null;
  }
}

/** One readable line for anything a wallet, viem or a node throws: the decoded custom error when it is a revert. */
export function describeError(e: unknown): string {
  if (e instanceof BaseError) {
    if (e.walk((x) => x instanceof UserRejectedRequestError)) return 'You rejected the request in the wallet';
    const rev = e.walk((x) => x instanceof ContractFunctionRevertedError) as ContractFunctionRevertedError | null;
    if (rev) {
      if (rev.data && rev.data.errorName !== 'Error' && rev.data.errorName !== 'Panic')
        return `reverted: ${named(rev.data.errorName, (rev.data.abiItem as { inputs?: readonly { name?: string }[] }).inputs, rev.data.args as readonly unknown[])}`;
      if (rev.reason) return `reverted: ${rev.reason}`;
      if (rev.raw) return `reverted: ${decodeRevertData(rev.raw) ?? `unknown error data ${rev.raw.slice(0, 10)}`}`;
      return 'reverted without a reason';
    }
    const data = (e.walk((x) => typeof (x as { data?: unknown }).data === 'string') as { data?: Hex } | null)?.data;
    if (data && /^0x[0-9a-f]{8}/i.test(data)) {
      const d = decodeRevertData(data);
      if (d) return `reverted: ${d}`;
    }
    return e.shortMessage || e.message;
  }
  const o = e as { code?: number; message?: string };
  if (o?.code === 4001) return 'You rejected the request in the wallet';
  return o?.message ?? String(e);
}
