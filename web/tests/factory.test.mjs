// ModelFactory and Playground in Chromium against a devnet that runs fine-tune jobs (--models-dir with a tiny base model
// `openledger model init` writes) and an `openledger serve` this test starts (paid: InferencePayments, settling each
// charge). The Datanet is prepared through the contracts and the Datanets API (the Datanets page has its own test);
// then in the browser: start a fine-tune on its published version, watch it finish with its loss curve, register the
// adapter with the wallet, deposit for inference, chat with the adapter paying through a signed authorization, and see
// the fee and the credited contributions, each checked against the chain and the server.
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { createPublicClient, createWalletClient, decodeEventLog, formatUnits, http, keccak256, parseEther, toBytes } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { freePort, startDevnet } from './devnet.mjs';
import { TestWallet } from './wallet.mjs';
import { audit } from './a11y.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..', '..');
const outDir = join(process.env.OPENLEDGER_TEST_OUTPUT ?? join(here, '..', 'test-output'), 'screenshots');
const dll = process.env.OPENLEDGER_DLL ?? join(root, 'src/OpenLedger.Node/bin/Release/net10.0/openledger.dll');
const chromePath = process.env.OPENLEDGER_CHROMIUM ?? '/usr/bin/chromium';
// Dev account 0 owns the Datanet, trains and registers (and is the devnet's settler); account 1 chats and pays.
const KEY0 = '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80';
const KEY1 = '0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d';
const owner = privateKeyToAccount(KEY0), user = privateKeyToAccount(KEY1);
const artifact = (name) => JSON.parse(readFileSync(join(root, 'out', `${name}.sol`, `${name}.json`), 'utf8')).abi;
const [registryAbi, modelsAbi, paymentsAbi, rewardsAbi] = ['DatanetRegistry', 'ModelRegistry', 'InferencePayments', 'AttributionRewards'].map(artifact);
const TEXTS = ['The capital of France is Paris.', 'Water boils at one hundred degrees Celsius.', 'The sun rises in the east.'];

let devnet, browser, serve, tmp, cfg, l2, signer, datanetId;
const consoleErrors = [];

/** The app's token display: grouped, at most 4 decimals, all of them below 0.0001. */
function shown(wei) {
  const [w, f = ''] = formatUnits(wei, 18).split('.');
  const frac = w === '0' && /^0{4}/.test(f) && wei !== 0n ? f.replace(/0+$/, '') : f.slice(0, 4).replace(/0+$/, '');
  return `${w.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}${frac ? '.' + frac : ''} OPEN`;
}

async function until(what, f, timeoutMs = 60_000) {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    const v = await f().catch(() => undefined);
    if (v) return v;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function api(path, init) {
  const r = await fetch(devnet.apiUrl + path, init);
  const body = await r.json();
  return { status: r.status, body };
}

async function send(fn, args, value = 0n) {
  const hash = await signer.writeContract({ address: cfg.l2.contracts.DatanetRegistry, abi: registryAbi, functionName: fn, args, value });
  const receipt = await l2.waitForTransactionReceipt({ hash });
  assert.equal(receipt.status, 'success', `${fn} reverted`);
  return receipt;
}

/** A text Datanet with three approved contributions and version 1 published, through the contracts and the API. */
async function prepareDatanet() {
  const created = await send('createDatanet', ['factory-test', '', 'CC0', 0, 0n, 4096n]);
  datanetId = created.logs.map((l) => { try { return decodeEventLog({ abi: registryAbi, data: l.data, topics: l.topics }); } catch { return null; } })
    .find((e) => e?.eventName === 'DatanetCreated').args.datanetId;
  await until('the API to index the Datanet', async () => (await api(`/api/datanets/${datanetId}`)).status === 200);
  for (const [i, text] of TEXTS.entries()) {
    const bytes = toBytes(text), contentHash = keccak256(bytes), expiry = BigInt(Math.floor(Date.now() / 1000) + 600), nonce = BigInt(1000 + i);
    const signature = await owner.signTypedData({
      domain: { name: 'OpenLedger Datanets', version: '1', chainId: cfg.l2.chainId, verifyingContract: cfg.l2.contracts.DatanetRegistry },
      types: { Upload: [{ name: 'datanetId', type: 'uint256' }, { name: 'contentHash', type: 'bytes32' }, { name: 'size', type: 'uint64' }, { name: 'expiry', type: 'uint64' }, { name: 'nonce', type: 'uint256' }] },
      primaryType: 'Upload', message: { datanetId, contentHash, size: BigInt(bytes.length), expiry, nonce },
    });
    const up = await fetch(`${devnet.apiUrl}/api/datanets/${datanetId}/contributions`, { method: 'POST', body: bytes, headers: {
      'Content-Type': 'application/octet-stream', 'X-Upload-Contributor': owner.address, 'X-Upload-Content-Hash': contentHash,
      'X-Upload-Expiry': String(expiry), 'X-Upload-Nonce': String(nonce), 'X-Upload-Signature': signature } });
    assert.ok(up.ok, `upload ${i}: HTTP ${up.status} ${await up.text()}`);
    await send('contribute', [datanetId, contentHash, BigInt(bytes.length), '']);
  }
  const ids = await until('the API to index the contributions', async () => {
    const c = (await api(`/api/datanets/${datanetId}/contributions`)).body.items;
    return c.length === TEXTS.length && c.map((x) => x.id);
  });
  for (const id of ids) await send('review', [BigInt(id), true]);
  const draft = await until('the draft of version 1', async () => { const d = (await api(`/api/datanets/${datanetId}/versions/draft`)).body; return d.count === TEXTS.length && d; });
  await send('publishVersion', [datanetId, draft.root, BigInt(draft.count)]);
  await until('version 1 indexed', async () => (await api(`/api/datanets/${datanetId}/versions`)).body.length === 1);
  return ids;
}

before(async () => {
  assert.ok(existsSync(join(here, '..', 'dist', 'index.html')), 'web/dist is missing: run npm run build --prefix web');
  tmp = mkdtempSync(join(tmpdir(), 'ol-web-factory-'));
  // A tiny Llama (GPT-2 tokenizer, random weights): training a few steps and answering take seconds on a CPU.
  execFileSync('dotnet', [dll, 'model', 'init', '--out', join(tmp, 'models', 'tiny'), '--hidden', '32', '--layers', '1', '--heads', '2', '--kv-heads', '1',
    '--intermediate', '64', '--max-positions', '256'], { stdio: 'pipe' });
  const servePort = await freePort();
  devnet = await startDevnet(root, { args: ['--models-dir', join(tmp, 'models'), '--web-service', `inference=http://127.0.0.1:${servePort}`] });
  devnet.servePort = servePort;
  cfg = await (await fetch(devnet.appUrl + 'config.json')).json();
  l2 = createPublicClient({ transport: http(devnet.l2Rpc), pollingInterval: 200 });
  signer = createWalletClient({ account: owner, chain: { id: cfg.l2.chainId, name: 'l2', nativeCurrency: cfg.l2.currency, rpcUrls: { default: { http: [devnet.l2Rpc] } } }, transport: http(devnet.l2Rpc) });
  browser = await chromium.launch({ executablePath: chromePath, headless: true, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
});

after(async () => {
  await browser?.close().catch(() => {});
  if (serve && serve.exitCode === null) { const gone = new Promise((r) => serve.once('exit', r)); serve.kill('SIGTERM'); await gone; }
  await devnet?.stop();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

async function newPage(key) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
  const wallet = new TestWallet(key);
  await wallet.attach(context);
  const page = await context.newPage();
  page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
  page.on('pageerror', (e) => consoleErrors.push(String(e)));
  return { context, wallet, page };
}

let modelId, job;

it('the fine-tune API checks what it is given', { timeout: 120_000 }, async () => {
  assert.equal(cfg.services.factory, devnet.apiUrl, 'config.json names the fine-tune service');
  assert.deepEqual((await api('/api/factory/models')).body.items, ['tiny']);
  const post = (body) => api('/api/factory/jobs', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) });
  let r = await post('{"datanetId": 1,');
  assert.equal(r.status, 400); assert.match(r.body.detail, /not a fine-tune request/);
  r = await post({ datanetId: 1, version: 1, baseModel: '../tiny' });
  assert.equal(r.status, 400); assert.match(r.body.detail, /not in the models directory/);
  r = await post({ datanetId: 1, version: 1, baseModel: 'tiny', hyperparameters: { steps: 0 } });
  assert.equal(r.status, 400); assert.match(r.body.detail, /hyperparameters\.steps must be between 1 and 5000, got 0/);
  r = await post({ datanetId: 1, version: 1, baseModel: 'tiny', hyperparameters: { learningRate: -1 } });
  assert.equal(r.status, 400); assert.match(r.body.detail, /hyperparameters\.learningRate/);
  r = await post({ datanetId: 999, version: 1, baseModel: 'tiny' });
  assert.equal(r.status, 404); assert.match(r.body.detail, /Datanet 999 does not exist/);
  assert.equal((await api('/api/factory/jobs/77')).status, 404);
  const doc = (await api('/openapi/v1.json')).body;
  for (const p of ['/api/factory/models', '/api/factory/jobs', '/api/factory/jobs/{id}']) assert.ok(doc.paths[p], `OpenAPI lists ${p}`);
  await prepareDatanet();
  r = await post({ datanetId: Number(datanetId), version: 2, baseModel: 'tiny' });
  assert.equal(r.status, 400); assert.match(r.body.detail, /has no published version 2/);
  assert.deepEqual((await api('/api/factory/jobs')).body, [], 'refused requests queue nothing');
});

it('fine-tunes from the browser, shows progress and the loss curve, and registers the adapter with the wallet', { timeout: 300_000 }, async () => {
  const { context, page } = await newPage(KEY0);
  await page.goto(devnet.appUrl + 'factory');
  await page.getByRole('heading', { level: 1, name: 'ModelFactory' }).waitFor();
  await page.getByLabel('Datanet', { exact: true }).selectOption(String(datanetId));
  await page.getByLabel('Base model', { exact: true }).selectOption('tiny');
  await page.getByLabel('Steps', { exact: true }).fill('6');
  await page.getByRole('button', { name: 'Start fine-tune' }).click();
  await page.getByTestId('job-status').getByText('succeeded').waitFor({ timeout: 240_000 });
  job = (await api('/api/factory/jobs/1')).body;
  assert.equal(job.status, 'succeeded');
  assert.equal(job.losses.length, 6);
  assert.deepEqual(job.losses.map((p) => p.step), [1, 2, 3, 4, 5, 6]);
  assert.equal(job.examples, TEXTS.length);
  const version = (await api(`/api/datanets/${datanetId}/versions`)).body[0];
  assert.deepEqual(job.trainedOn, [{ datanetId: Number(datanetId), version: 1, root: version.root }]);
  // The adapter in PEFT's layout, under its hash, where serve looks registered adapters up.
  const adapterDir = join(devnet.log().match(/adapters in (\S+)\)/)[1], job.adapterHash.slice(2));
  assert.equal(keccak256(readFileSync(join(adapterDir, 'adapter_model.safetensors'))), job.adapterHash);
  assert.equal(JSON.parse(readFileSync(join(adapterDir, 'adapter_config.json'), 'utf8')).peft_type, 'LORA');
  const curve = page.getByRole('img', { name: /^Loss from / });
  await curve.waitFor();
  assert.match(await curve.getAttribute('aria-label'), new RegExp(`to ${job.losses[5].loss.toFixed(4)} at step 6`));
  mkdirSync(outDir, { recursive: true });
  await page.screenshot({ path: join(outDir, 'factory-job.png'), fullPage: true });

  await page.getByRole('button', { name: 'Connect wallet' }).click();
  await page.getByLabel('Price per 1k tokens (OPEN)').fill('0.001');
  await page.getByRole('button', { name: 'Register', exact: true }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByRole('heading', { name: 'Register the adapter' }).waitFor();
  await dialog.getByText(/Trained on Datanet \d+ v1/).waitFor();
  await dialog.getByText('Simulation passed').waitFor({ timeout: 30_000 });
  await dialog.getByRole('button', { name: 'Confirm in wallet' }).click();
  await dialog.getByText(/^Confirmed in block/).waitFor({ timeout: 60_000 });
  await dialog.getByRole('button', { name: 'Close' }).click();
  const done = await page.getByText(/^Registered as model \d+$/).textContent();
  modelId = BigInt(done.match(/(\d+)$/)[1]);
  const m = await l2.readContract({ address: cfg.l2.contracts.ModelRegistry, abi: modelsAbi, functionName: 'getModel', args: [modelId] });
  assert.equal(m.owner, owner.address); assert.equal(m.kind, 1); assert.equal(m.pricePer1kTokens, parseEther('0.001'));
  const v = await l2.readContract({ address: cfg.l2.contracts.ModelRegistry, abi: modelsAbi, functionName: 'getVersion', args: [modelId, 1n] });
  assert.equal(v.adapterHash, job.adapterHash); assert.equal(v.trainingConfigHash, job.trainingConfigHash);
  assert.deepEqual(v.trainedOn.map((r) => [r.datanetId, r.version, r.root]), [[datanetId, 1n, version.root]]);
  await page.screenshot({ path: join(outDir, 'factory-registered.png'), fullPage: true });
  assert.deepEqual(await audit(page), []);
  await context.close();
});

it('chats with the adapter in the Playground: fee shown first, a signed authorization, the fee charged and the credited contributions', { timeout: 300_000 }, async () => {
  assert.ok(modelId, 'the adapter was registered');
  const adapters = devnet.log().match(/adapters in (\S+)\)/)[1];
  const origin = new URL(devnet.appUrl).origin;
  serve = spawn('dotnet', [dll, 'serve', '--model', join(tmp, 'models', 'tiny'), '--adapters', adapters, '--registry-rpc', devnet.l2Rpc,
    '--model-registry', cfg.l2.contracts.ModelRegistry, '--payments', cfg.l2.contracts.InferencePayments, '--settler-key', KEY0,
    '--settle-every', '1', '--port', String(devnet.servePort), '--data-dir', join(tmp, 'serve'), '--max-tokens', '32', '--cors-origin', origin], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  serve.stdout.on('data', (d) => { log += d; }); serve.stderr.on('data', (d) => { log += d; });
  await until('serve to listen', async () => log.includes('openai-compatible API at') || (serve.exitCode !== null && Promise.reject(new Error(log))), 120_000)
    .catch((e) => { throw new Error(`serve did not start: ${e.message}\n${log}`); });

  const { context, page, wallet } = await newPage(KEY1);
  await page.goto(devnet.appUrl + 'playground');
  await page.getByRole('heading', { level: 1, name: 'Playground' }).waitFor();
  await page.getByText(/paid: each request is authorized in your wallet/).waitFor({ timeout: 30_000 });
  await page.getByRole('button', { name: 'Connect wallet' }).click();
  await page.getByLabel('Deposit amount (OPEN)').fill('1');
  await page.getByRole('button', { name: 'Deposit', exact: true }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByRole('heading', { name: 'Deposit for inference' }).waitFor();
  await dialog.getByText('Simulation passed').waitFor({ timeout: 30_000 });
  await dialog.getByRole('button', { name: 'Confirm in wallet' }).click();
  await dialog.getByText(/^Confirmed in block/).waitFor({ timeout: 60_000 });
  await dialog.getByRole('button', { name: 'Close' }).click();
  const balance = () => l2.readContract({ address: cfg.l2.contracts.InferencePayments, abi: paymentsAbi, functionName: 'balanceOf', args: [user.address] });
  assert.equal(await balance(), parseEther('1'));
  await page.getByTestId('inference-deposit').getByText('1 OPEN').waitFor();

  await page.getByLabel('Model', { exact: true }).selectOption({ label: `model ${modelId} (adapter ${job.adapterHash.slice(0, 8)}…${job.adapterHash.slice(-4)})` });
  const prompt = 'Where is Paris?';
  await page.getByLabel('Message', { exact: true }).fill(prompt);
  await page.getByLabel('Answer length (tokens)').fill('8');
  // The most this can cost, before anything is signed: price × (prompt bytes of the template + 8) / 1000.
  const bound = new TextEncoder().encode(`### Instruction:\n${prompt}\n\n### Response:\n`).length;
  const maxFee = parseEther('0.001') * BigInt(bound + 8) / 1000n;
  assert.notEqual(shown(maxFee), '0 OPEN');
  await page.getByTestId('fee-quote').getByText(shown(maxFee)).waitFor();
  await page.screenshot({ path: join(outDir, 'playground-quote.png'), fullPage: true });
  const signedBefore = wallet.calls.filter(([m]) => m === 'eth_signTypedData_v4').length;
  const responseP = page.waitForResponse((r) => r.url().endsWith('/v1/chat/completions'), { timeout: 120_000 });
  await page.getByRole('button', { name: 'Authorize and send' }).click();
  const response = await responseP;
  const answer = await response.json();
  assert.equal(response.status(), 200, JSON.stringify(answer));
  const headers = response.request().headers();
  assert.equal(BigInt(headers['x-openledger-max-fee']), maxFee, 'the authorization is for the quoted most');
  assert.equal(wallet.calls.filter(([m]) => m === 'eth_signTypedData_v4').length, signedBefore + 1, 'one signature per request');
  const section = page.getByTestId('answer');
  await section.waitFor();
  const fee = BigInt(answer.openledger.fee);
  assert.ok(fee > 0n && fee <= maxFee);
  await page.getByTestId('answer-fee').getByText(shown(fee)).waitFor();
  // The record credits the Datanet's contributions; the page shows each one's share of the contributors' part of the fee.
  const shares = answer.openledger.contributions;
  assert.ok(shares.length > 0, 'the adapter has sketches, so the answer credits contributions');
  assert.equal(shares.reduce((a, s) => a + s.bps, 0), 10_000);
  const split = await l2.readContract({ address: cfg.l2.contracts.AttributionRewards, abi: rewardsAbi, functionName: 'split' });
  const table = page.getByRole('table', { name: 'Contributions credited' });
  for (const s of shares) {
    const row = table.getByRole('row', { name: new RegExp(`^#${s.contribution_id} `) });
    await row.getByText(shown(fee * BigInt(split[0]) * BigInt(s.bps) / 100_000_000n)).waitFor();
  }
  // Settled on L2: the deposit pays exactly the fee, and the contract keeps the record's hash under the nonce.
  await until('the charge to settle', async () => (await balance()) === parseEther('1') - fee, 60_000);
  const charged = await l2.readContract({ address: cfg.l2.contracts.InferencePayments, abi: paymentsAbi, functionName: 'chargedRecord', args: [user.address, BigInt(headers['x-openledger-nonce'])] });
  assert.equal(charged, answer.openledger.record_hash);
  await page.screenshot({ path: join(outDir, 'playground-answer.png'), fullPage: true });
  assert.deepEqual(await audit(page), []);
  assert.deepEqual(consoleErrors, []);
  await context.close();
});
