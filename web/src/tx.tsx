import { createContext, useCallback, useContext, useEffect, useRef, useState, type ReactNode } from 'react';
import type { Abi, Address, Hash, TransactionReceipt } from 'viem';
import type { Layer } from './config';
import { useWallet } from './wallet';
import { describeError } from './errors';
import { allErrorsAbi } from './generated/abis';
import { formatToken, shortHex } from './format';

/** One contract call, described for the user before the wallet opens. */
export interface TxRequest {
  layer: Layer;
  title: string;
  /** What the transaction will do, in words, one line each. */
  summary: string[];
  contractName: string;
  address: Address;
  abi: Abi;
  functionName: string;
  args: readonly unknown[];
  value?: bigint;
}

type Phase =
  | { kind: 'review'; simulation: 'running' | 'ok' | string }
  | { kind: 'wallet' }
  | { kind: 'pending'; hash: Hash }
  | { kind: 'done'; hash: Hash; block: bigint }
  | { kind: 'failed'; error: string; hash?: Hash };

interface TxApi {
  /** Shows the summary, simulates, then (on confirm) sends through the wallet and waits. Resolves with the receipt, or null when cancelled or failed. */
  send(req: TxRequest): Promise<TransactionReceipt | null>;
}

const Ctx = createContext<TxApi | null>(null);
export const useTx = (): TxApi => {
  const t = useContext(Ctx);
  if (!t) throw new Error('useTx outside TxProvider');
  return t;
};

export function TxProvider({ children }: { children: ReactNode }) {
  const wallet = useWallet();
  const [req, setReq] = useState<TxRequest | null>(null);
  const [phase, setPhase] = useState<Phase>({ kind: 'review', simulation: 'running' });
  const resolver = useRef<((r: TransactionReceipt | null) => void) | null>(null);

  const finish = (r: TransactionReceipt | null) => {
    resolver.current?.(r);
    resolver.current = null;
  };

  const send = useCallback((r: TxRequest) => {
    finish(null);
    setReq(r);
    setPhase({ kind: 'review', simulation: 'running' });
    return new Promise<TransactionReceipt | null>((resolve) => { resolver.current = resolve; });
  }, []);

  // Simulate when a request opens: the summary says up front when it would revert, and why.
  useEffect(() => {
    if (!req || !wallet.account) return;
    let live = true;
    wallet.clients[req.layer]
      .simulateContract({ address: req.address, abi: [...req.abi, ...allErrorsAbi], functionName: req.functionName, args: req.args, value: req.value, account: wallet.account } as never)
      .then(() => live && setPhase((p) => (p.kind === 'review' ? { kind: 'review', simulation: 'ok' } : p)))
      .catch((e) => live && setPhase((p) => (p.kind === 'review' ? { kind: 'review', simulation: describeError(e) } : p)));
    return () => { live = false; };
  }, [req, wallet.account, wallet.clients]);

  const confirm = async () => {
    if (!req) return;
    setPhase({ kind: 'wallet' });
    let hash: Hash | undefined;
    try {
      await wallet.ensureChain(req.layer);
      // Our own estimate with a margin: the node estimates on the latest block, and a call whose cost depends on the
      // block (an ERC20Votes checkpoint written at a new timestamp) can need more in the next one.
      const estimate = await wallet.clients[req.layer].estimateContractGas({
        address: req.address, abi: req.abi, functionName: req.functionName, args: req.args, value: req.value, account: wallet.account!,
      } as never);
      hash = await wallet.walletClient(req.layer).writeContract({
        address: req.address, abi: req.abi, functionName: req.functionName, args: req.args, value: req.value,
        account: wallet.account!, chain: wallet.walletClient(req.layer).chain, gas: estimate + estimate / 4n + 10_000n,
      } as never);
      setPhase({ kind: 'pending', hash });
      const receipt = await wallet.clients[req.layer].waitForTransactionReceipt({ hash, timeout: 120_000 });
      if (receipt.status !== 'success') {
        // Replay on the state it ran on to name the reason.
        let why = 'reverted on-chain';
        const sent = await wallet.clients[req.layer].getTransaction({ hash });
        if (receipt.gasUsed >= sent.gas) why = `ran out of gas (used all ${sent.gas} gas)`;
        else try {
          await wallet.clients[req.layer].simulateContract({ address: req.address, abi: [...req.abi, ...allErrorsAbi], functionName: req.functionName, args: req.args, value: req.value, account: wallet.account!, blockNumber: receipt.blockNumber - 1n } as never);
        } catch (e) { why = describeError(e); }
        setPhase({ kind: 'failed', error: why, hash });
        finish(null);
        return;
      }
      setPhase({ kind: 'done', hash, block: receipt.blockNumber });
      wallet.bump();
      finish(receipt);
    } catch (e) {
      setPhase({ kind: 'failed', error: describeError(e), hash });
      finish(null);
    }
  };

  const close = () => {
    finish(null);
    setReq(null);
  };

  return (
    <Ctx.Provider value={{ send }}>
      {children}
      {req && <TxDialog req={req} phase={phase} onConfirm={confirm} onClose={close} />}
    </Ctx.Provider>
  );
}

function TxDialog({ req, phase, onConfirm, onClose }: { req: TxRequest; phase: Phase; onConfirm: () => void; onClose: () => void }) {
  const { cfg } = useWallet();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), [req]);
  const busy = phase.kind === 'wallet' || phase.kind === 'pending';
  return (
    <div className="backdrop">
      <div className="dialog" role="dialog" aria-modal="true" aria-labelledby="tx-title"
        onKeyDown={(e) => { if (e.key === 'Escape' && !busy) onClose(); }}>
        <h2 id="tx-title" tabIndex={-1} ref={heading}>{req.title}</h2>
        <ul className="summary">{req.summary.map((s) => <li key={s}>{s}</li>)}</ul>
        <dl className="facts">
          <dt>Network</dt><dd>{cfg[req.layer].name} (chain {cfg[req.layer].chainId})</dd>
          <dt>Contract</dt><dd>{req.contractName} <code>{shortHex(req.address)}</code></dd>
          <dt>Call</dt><dd><code>{req.functionName}</code></dd>
          {req.value ? <><dt>Value sent</dt><dd>{formatToken(req.value, cfg[req.layer].currency.symbol)}</dd></> : null}
        </dl>
        <div className="status" role="status" aria-live="polite" data-testid="tx-status">
          {phase.kind === 'review' && (phase.simulation === 'running' ? 'Checking the transaction…'
            : phase.simulation === 'ok' ? 'Simulation passed: confirm to open your wallet.'
            : <span className="error">Would fail: {phase.simulation}</span>)}
          {phase.kind === 'wallet' && 'Waiting for your wallet…'}
          {phase.kind === 'pending' && <>Pending: <code>{shortHex(phase.hash)}</code>, waiting for a block…</>}
          {phase.kind === 'done' && <span className="ok">Confirmed in block {phase.block.toString()} (<code>{shortHex(phase.hash)}</code>)</span>}
          {phase.kind === 'failed' && <span className="error">Failed: {phase.error}</span>}
        </div>
        <div className="actions">
          {phase.kind === 'review' && <button type="button" className="primary" onClick={onConfirm} disabled={phase.simulation !== 'ok'}>Confirm in wallet</button>}
          <button type="button" onClick={onClose} disabled={busy}>{phase.kind === 'review' ? 'Cancel' : 'Close'}</button>
        </div>
      </div>
    </div>
  );
}
