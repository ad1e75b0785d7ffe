// Chat with a base model or a registered adapter through `openledger serve` (OpenAI's /v1/chat/completions). The fee is
// shown before anything is paid: an upper bound from the model's price, the prompt's size and the answer's token limit.
// Paid serving (the server's /health says "onchain") takes an EIP-712 InferenceAuthorization per request, signed in the
// wallet, against a deposit in InferencePayments (depositing is a transaction on this page). After the answer: the
// actual fee and the contributions its attribution record credits, with their share of this fee.
import { useState, type FormEvent } from 'react';
import { type Address, type Hex } from 'viem';
import { useWallet } from '../wallet';
import { useTx } from '../tx';
import { AttributionRewardsAbi, InferencePaymentsAbi } from '../generated/abis';
import { describeError } from '../errors';
import { formatToken, parseAmount, shortHex } from '../format';
import { ErrorLine, Field, NeedAccount, Unavailable, useLoad } from '../ui';

interface ServedModel { id: string; parent?: string; openledger?: { registry_id: number | null; adapter_hash: string | null; price_per_1k_tokens: string } }
interface Health { payments: string; model: string }
interface Answer {
  text: string; promptTokens: number; completionTokens: number; fee: bigint; recordHash: string | null;
  contributions: { id: string; bps: number }[]; chargeReference: string | null;
}

/** The server's chat template (docs/serving.md): its UTF-8 length bounds the prompt's tokens (a GPT-2 token is at least one byte). */
function templated(prompt: string): string {
  return `### Instruction:\n${prompt}\n\n### Response:\n`;
}

export function PlaygroundPage() {
  const { cfg } = useWallet();
  // The devnet names its OpenAI base URL (…/v1); `--web-service inference=` may give either form: requests add /v1 themselves.
  const url = cfg.services.inference?.replace(/\/v1\/?$/, '').replace(/\/$/, '');
  return (
    <>
      <h1>Playground</h1>
      {url ? <Chat base={url} /> : <Unavailable title="Chat">No inference service (<code>openledger serve</code>) is configured for this network, so there is nothing to chat with yet. This page lights up when /app/config.json names one (<code>--web-service inference=URL</code>).</Unavailable>}
    </>
  );
}

async function getJson<T>(url: string): Promise<T> {
  let r: Response;
  try { r = await fetch(url); } catch (e) { throw new Error(`inference service unreachable (${url}): ${(e as Error).message}`); }
  if (!r.ok) throw new Error(`inference service: HTTP ${r.status}`);
  return (await r.json()) as T;
}

function Chat({ base }: { base: string }) {
  const { cfg } = useWallet();
  const health = useLoad(() => getJson<Health>(`${base}/health`), [base]);
  const models = useLoad(() => getJson<{ data: ServedModel[] }>(`${base}/v1/models`), [base], 10_000);
  const paid = health.data?.payments === 'onchain';
  const payments = cfg.l2.contracts.InferencePayments;
  return (
    <>
      <ErrorLine error={health.error ?? models.error} />
      {health.data && <p>Serving <strong>{health.data.model}</strong> at <code>{base}</code> · {paid ? 'paid: each request is authorized in your wallet and charged from your InferencePayments deposit' : 'free: requests are not charged'}</p>}
      {paid && !payments && <p className="error" role="alert">This server charges through InferencePayments, which is not in this network's L2 deployments file.</p>}
      {models.data && health.data && (!paid || payments)
        ? (paid ? <NeedAccount><Deposit payments={payments!} /><Conversation base={base} models={models.data.data} paid={paid} /></NeedAccount>
          : <Conversation base={base} models={models.data.data} paid={false} />)
        : null}
    </>
  );
}

function Deposit({ payments }: { payments: Address }) {
  const { clients, account } = useWallet();
  const tx = useTx();
  const [amount, setAmount] = useState('');
  const [err, setErr] = useState<string | null>(null);
  const bal = useLoad(() => clients.l2.readContract({ address: payments, abi: InferencePaymentsAbi, functionName: 'balanceOf', args: [account!] }), [account], 4000);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setErr(null);
    let v: bigint;
    try { v = parseAmount(amount, 'Deposit'); } catch (x) { setErr((x as Error).message); return; }
    const ok = await tx.send({
      layer: 'l2', title: 'Deposit for inference', contractName: 'InferencePayments', address: payments, abi: InferencePaymentsAbi, functionName: 'deposit', args: [], value: v,
      summary: [`Moves ${formatToken(v)} into your InferencePayments balance`, 'Servers charge each answer from it, at most the fee you authorize per request', 'Withdrawing takes a request and a delay'],
    });
    if (ok) setAmount('');
  };
  return (
    <form className="card" onSubmit={submit} aria-labelledby="pay-h">
      <h2 id="pay-h">Inference deposit</h2>
      <p data-testid="inference-deposit">Your deposit: {bal.data === null ? '…' : formatToken(bal.data)}</p>
      <Field id="pay-amount" label="Deposit amount (OPEN)"><input id="pay-amount" inputMode="decimal" value={amount} onChange={(e) => setAmount(e.target.value)} /></Field>
      <ErrorLine error={err ?? bal.error} />
      <button type="submit" className="primary">Deposit</button>
    </form>
  );
}

function Conversation({ base, models, paid }: { base: string; models: ServedModel[]; paid: boolean }) {
  const w = useWallet();
  const usable = paid ? models.filter((m) => m.openledger?.registry_id != null) : models;
  const [model, setModel] = useState('');
  const [prompt, setPrompt] = useState('');
  const [maxTokens, setMaxTokens] = useState('16');
  const [answer, setAnswer] = useState<Answer | null>(null);
  const [step, setStep] = useState<string | null>(null);
  const [err, setErr] = useState<string | null>(null);
  const chosen = usable.find((m) => m.id === model) ?? usable[0];
  const price = chosen?.openledger ? BigInt(chosen.openledger.price_per_1k_tokens) : null;
  const max = /^\d+$/.test(maxTokens) ? Number(maxTokens) : NaN;
  const promptBound = new TextEncoder().encode(templated(prompt)).length;
  // What the server refuses to go below (price × (prompt + max_tokens) / 1000), with the prompt bounded by its bytes.
  const maxFee = price !== null && Number.isInteger(max) && max > 0 ? (price * BigInt(promptBound + max)) / 1000n : null;
  const rewards = w.cfg.l2.contracts.AttributionRewards;
  const split = useLoad(async () => (rewards ? await w.clients.l2.readContract({ address: rewards, abi: AttributionRewardsAbi, functionName: 'split' }) : null), [rewards]);
  const contributorsBps = split.data ? BigInt((split.data as readonly number[])[0]) : null;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setErr(null); setAnswer(null);
    try {
      if (!chosen) throw new Error('Choose a model');
      if (!prompt.trim()) throw new Error('Type a message');
      if (!Number.isInteger(max) || max < 1) throw new Error('Answer length: a whole number of tokens, at least 1');
      const headers: Record<string, string> = { 'Content-Type': 'application/json' };
      if (paid) {
        const payments = w.cfg.l2.contracts.InferencePayments!;
        const account = w.account!;
        const modelId = BigInt(chosen.openledger!.registry_id!);
        const r = crypto.getRandomValues(new Uint32Array(4));
        const nonce = r.reduce((acc, x) => (acc << 32n) | BigInt(x), 0n);
        const expiry = BigInt(Math.floor(Date.now() / 1000) + 30 * 60);
        setStep(`Authorize at most ${formatToken(maxFee!)} in your wallet (a signature, no transaction)…`);
        await w.ensureChain('l2');
        const signature: Hex = await w.walletClient('l2').signTypedData({
          account,
          domain: { name: 'OpenLedger Inference', version: '1', chainId: w.cfg.l2.chainId, verifyingContract: payments },
          types: { InferenceAuthorization: [
            { name: 'user', type: 'address' }, { name: 'modelId', type: 'uint256' }, { name: 'maxFee', type: 'uint256' },
            { name: 'nonce', type: 'uint256' }, { name: 'expiry', type: 'uint64' }] },
          primaryType: 'InferenceAuthorization',
          message: { user: account, modelId, maxFee: maxFee!, nonce, expiry },
        });
        Object.assign(headers, {
          'X-OpenLedger-Payer': account, 'X-OpenLedger-Max-Fee': maxFee!.toString(), 'X-OpenLedger-Nonce': nonce.toString(),
          'X-OpenLedger-Expiry': expiry.toString(), 'X-OpenLedger-Signature': signature,
        });
      }
      setStep('Waiting for the answer…');
      let res: Response;
      try {
        res = await fetch(`${base}/v1/chat/completions`, { method: 'POST', headers, body: JSON.stringify({ model: chosen.id, max_tokens: max, temperature: 0, messages: [{ role: 'user', content: prompt }] }) });
      } catch (x) { throw new Error(`inference service unreachable: ${(x as Error).message}`); }
      const j = await res.json();
      if (!res.ok) throw new Error(j?.error?.message ? `${j.error.message}${j.error.code ? ` (${j.error.code})` : ''}` : `HTTP ${res.status}`);
      const ol = j.openledger ?? {};
      setAnswer({
        text: j.choices?.[0]?.message?.content ?? '', promptTokens: j.usage?.prompt_tokens ?? 0, completionTokens: j.usage?.completion_tokens ?? 0,
        fee: BigInt(ol.fee ?? '0'), recordHash: ol.record_hash ?? null, chargeReference: ol.charge_reference ?? null,
        contributions: (ol.contributions ?? []).map((c: { contribution_id: string; bps: number }) => ({ id: c.contribution_id, bps: c.bps })),
      });
      setStep(null);
    } catch (x) { setStep(null); setErr(describeError(x)); }
  };

  return (
    <form className="card" onSubmit={submit} aria-labelledby="chat-h">
      <h2 id="chat-h">Chat</h2>
      {paid && usable.length === 0 && <p>No registered adapter is served here yet: paid serving charges registered models (register one on the ModelFactory page).</p>}
      <Field id="pg-model" label="Model">
        <select id="pg-model" value={chosen?.id ?? ''} onChange={(e) => setModel(e.target.value)}>
          {usable.map((m) => <option key={m.id} value={m.id}>{m.openledger?.registry_id != null ? `model ${m.openledger.registry_id} (adapter ${shortHex(m.openledger.adapter_hash ?? '')})` : m.id}</option>)}
        </select>
      </Field>
      <Field id="pg-prompt" label="Message"><textarea id="pg-prompt" rows={3} value={prompt} onChange={(e) => setPrompt(e.target.value)} /></Field>
      <Field id="pg-max" label="Answer length (tokens)"><input id="pg-max" inputMode="numeric" value={maxTokens} onChange={(e) => setMaxTokens(e.target.value)} /></Field>
      <p data-testid="fee-quote">
        {price === null ? 'Price: the base model’s price (the server’s --price).'
          : <>Price {formatToken(price)} per 1k tokens. {maxFee !== null && <>This message costs at most <strong>{formatToken(maxFee)}</strong> (up to {promptBound} prompt + {max} answer tokens){paid ? ', the most you authorize' : ' (not charged here)'}.</>}</>}
      </p>
      <button type="submit" className="primary" disabled={!chosen || !prompt.trim() || !!step}>{paid ? 'Authorize and send' : 'Send'}</button>
      <div role="status" aria-live="polite">{step}</div>
      <ErrorLine error={err} />
      {answer && (
        <section aria-labelledby="answer-h" data-testid="answer">
          <h3 id="answer-h">Answer</h3>
          <p className="answer">{answer.text || '(empty answer)'}</p>
          <p data-testid="answer-fee">Fee: <strong>{formatToken(answer.fee)}</strong> for {answer.promptTokens} prompt + {answer.completionTokens} answer tokens{paid ? ' (charged from your deposit when the server settles)' : ' (not charged: free serving)'}.</p>
          {answer.contributions.length > 0 ? (
            <table aria-label="Contributions credited">
              <caption>Credited contributions{answer.recordHash && <> · record <code>{shortHex(answer.recordHash)}</code></>}</caption>
              <thead><tr><th scope="col">Contribution</th><th scope="col">Share</th><th scope="col">Credited</th></tr></thead>
              <tbody>{answer.contributions.map((c) => (
                <tr key={c.id}><td>#{c.id}</td><td>{(c.bps / 100).toFixed(2)}%</td>
                  <td>{contributorsBps === null ? '—' : formatToken((answer.fee * contributorsBps * BigInt(c.bps)) / 100_000_000n)}</td></tr>
              ))}</tbody>
            </table>
          ) : <p>No contributions credited: {answer.recordHash ? 'the record has no shares' : 'this model has no attribution sketches (the base model, or an adapter trained without them)'}.</p>}
          {answer.contributions.length > 0 && contributorsBps !== null && <p className="muted">Data contributors get {Number(contributorsBps) / 100}% of each fee (AttributionRewards' split), divided by these shares; it is claimable once the epoch's root is posted (Rewards page).</p>}
        </section>
      )}
    </form>
  );
}
