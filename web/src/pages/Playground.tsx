import { useState, type FormEvent } from 'react';
import { useWallet } from '../wallet';
import { ErrorLine, Field, Unavailable, useLoad } from '../ui';

interface ModelList { data: { id: string }[] }

export function PlaygroundPage() {
  const { cfg } = useWallet();
  const url = cfg.services.inference;
  return (
    <>
      <h1>Playground</h1>
      {url ? <Chat base={url} /> : <Unavailable title="Chat">No inference service (<code>openledger serve</code>) runs on this devnet, so there is nothing to chat with yet. This page lights up when the devnet lists one.</Unavailable>}
    </>
  );
}

/** Plain OpenAI-compatible chat. Fees and attribution credits are not shown yet: the payment protocol is not in this app. */
function Chat({ base }: { base: string }) {
  const models = useLoad(async () => {
    const r = await fetch(`${base}/v1/models`);
    if (!r.ok) throw new Error(`inference service: HTTP ${r.status}`);
    return (await r.json()) as ModelList;
  }, [base]);
  const [model, setModel] = useState('');
  const [prompt, setPrompt] = useState('');
  const [answer, setAnswer] = useState<string | null>(null);
  const [err, setErr] = useState<string | null>(null);
  const chosen = model || models.data?.data[0]?.id || '';
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setErr(null); setAnswer(null);
    try {
      const r = await fetch(`${base}/v1/chat/completions`, {
        method: 'POST', headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ model: chosen, messages: [{ role: 'user', content: prompt }] }),
      });
      const j = await r.json();
      if (!r.ok) throw new Error(j?.error?.message ?? `HTTP ${r.status}`);
      setAnswer(j.choices?.[0]?.message?.content ?? '(no answer)');
    } catch (x) { setErr((x as Error).message); }
  };
  return (
    <form className="card" onSubmit={submit} aria-labelledby="chat-h">
      <h2 id="chat-h">Chat</h2>
      <p className="muted">Fees before paying and the contributions credited after an answer are not shown yet: the inference payment protocol is not wired into this app.</p>
      <ErrorLine error={models.error} />
      <Field id="pg-model" label="Model">
        <select id="pg-model" value={chosen} onChange={(e) => setModel(e.target.value)}>{models.data?.data.map((m) => <option key={m.id} value={m.id}>{m.id}</option>)}</select>
      </Field>
      <Field id="pg-prompt" label="Message"><textarea id="pg-prompt" rows={3} value={prompt} onChange={(e) => setPrompt(e.target.value)} /></Field>
      <button type="submit" className="primary" disabled={!chosen || !prompt.trim()}>Send</button>
      <ErrorLine error={err} />
      {answer !== null && <div role="status" aria-live="polite"><h3>Answer</h3><p>{answer}</p></div>}
    </form>
  );
}
