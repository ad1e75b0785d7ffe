// The web app in a real browser (Debian's Chromium through playwright-core) against a devnet this test starts.
// A dev-key EIP-1193 wallet (wallet.mjs) stands in for MetaMask. Each flow is clicked through and its effect checked
// on-chain; screenshots go to test-output/screenshots (or $OPENLEDGER_TEST_OUTPUT/screenshots).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { request } from 'node:http';
import { chromium } from 'playwright-core';
import { createPublicClient, createWalletClient, encodeAbiParameters, formatUnits, http, keccak256, parseEther, toBytes, concat } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { startDevnet } from './devnet.mjs';
import { TestWallet } from './wallet.mjs';
import { audit, focusVisible } from './a11y.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..', '..');
const outDir = join(process.env.OPENLEDGER_TEST_OUTPUT ?? join(here, '..', 'test-output'), 'screenshots');
// anvil's / the devnet's dev accounts 0 and 1 (the public test mnemonic).
const KEY0 = '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80';
const ACCT1 = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8';
const KEY1 = '0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d';
const ACCT2 = '0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC';
// The tests read the same forge artifacts the app's ABIs are generated from.
const artifact = (name) => JSON.parse(readFileSync(join(root, 'out', `${name}.sol`, `${name}.json`), 'utf8')).abi;
const abis = Object.fromEntries(['OpenToken', 'OpenGovernor', 'StakingManager', 'DatanetRegistry', 'AttributionRewards'].map((n) => [`${n}Abi`, artifact(n)]));
const chromePath = process.env.OPENLEDGER_CHROMIUM ?? '/usr/bin/chromium';

let devnet, browser, context, page, wallet, cfg, l1, l2;
const consoleErrors = [];
const me = privateKeyToAccount(KEY0).address;

/** The app's token display: grouped whole part, at most 4 decimals. */
function shown(wei, symbol = 'OPEN') {
  const [w, f = ''] = formatUnits(wei, 18).split('.');
  const frac = w === '0' && /^0{4}/.test(f) && wei !== 0n ? f.replace(/0+$/, '') : f.slice(0, 4).replace(/0+$/, '');
  return `${w.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}${frac ? '.' + frac : ''} ${symbol}`;
}

async function until(what, f, timeoutMs = 30_000) {
  const end = Date.now() + timeoutMs;
  let last;
  while (Date.now() < end) {
    try { const v = await f(); if (v) return v; } catch (e) { last = e; }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out waiting for ${what}${last ? ': ' + last.message : ''}`);
}

/**
 * Confirms the open transaction dialog (after its simulation passed) and waits for the block. With `next`, the app
 * opens that step's dialog only after this one is mined (it replaces the dialog), which then counts as confirmed.
 */
async function confirmTx(title, next) {
  const dialog = page.getByRole('dialog');
  await dialog.getByRole('heading', { name: title }).waitFor();
  const status = dialog.getByTestId('tx-status');
  await until(`simulation of "${title}"`, async () => {
    const t = await status.textContent();
    if (t.startsWith('Would fail')) throw new Error(`${title}: ${t}`);
    return t.startsWith('Simulation passed');
  });
  await dialog.getByRole('button', { name: 'Confirm in wallet' }).click();
  let last = '';
  await until(`"${title}" to be mined`, async () => {
    const t = last = await status.textContent();
    if (t.startsWith('Failed')) throw new Error(`${title}: ${t}`);
    if (next && (await dialog.getByRole('heading').textContent()) === next) return true;
    return t.startsWith('Confirmed in block');
  }).catch((e) => { throw new Error(`${e.message} (dialog: "${last}"; wallet's last calls: ${JSON.stringify(wallet.calls.slice(-4).map(([m]) => m))})`); });
  if (next) return;
  await dialog.getByRole('button', { name: 'Close' }).click();
  await dialog.waitFor({ state: 'detached' });
}

async function go(label) {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: label, exact: true }).click();
  await page.getByRole('heading', { level: 1, name: label }).waitFor();
}

async function checkPage(name) {
  mkdirSync(outDir, { recursive: true });
  await page.screenshot({ path: join(outDir, `${name}.png`), fullPage: true });
  const problems = [...(await audit(page)), ...(await focusVisible(page))];
  assert.deepEqual(problems, [], `${name}: accessibility`);
}

const rpc = (url, method, params = []) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }) })
  .then((r) => r.json()).then((j) => { if (j.error) throw new Error(`${method}: ${j.error.message}`); return j.result; });

/** GET with the path sent as written (fetch would normalise it). */
function rawGet(port, path) {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'GET' }, (res) => {
      let body = '';
      res.on('data', (d) => { body += d; });
      res.on('end', () => resolve({ status: res.statusCode, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

async function travel(url, seconds) {
  await rpc(url, 'evm_increaseTime', [seconds]);
  await rpc(url, 'evm_mine');
}

describe('web app in Chromium', { timeout: 600_000 }, () => {
  before(async () => {
    assert.ok(existsSync(join(here, '..', 'dist', 'index.html')), 'web/dist is missing: run npm run build --prefix web');
    assert.ok(existsSync(chromePath), `${chromePath} is missing: deploy/lib.sh installs Debian's chromium`);
    devnet = await startDevnet(root);
    cfg = await (await fetch(devnet.appUrl + 'config.json')).json();
    l1 = createPublicClient({ transport: http(devnet.l1Rpc) });
    l2 = createPublicClient({ transport: http(devnet.l2Rpc) });
    browser = await chromium.launch({ executablePath: chromePath, headless: true, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    wallet = new TestWallet(KEY0);
    await wallet.attach(context);
    page = await context.newPage();
    page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
    page.on('pageerror', (e) => consoleErrors.push(String(e)));
  });

  after(async () => {
    await browser?.close().catch(() => {});
    await devnet?.stop();
  });

  it('serves the app and its config with the right content types, and falls back to index.html for app routes', async () => {
    const index = await fetch(devnet.appUrl);
    assert.equal(index.status, 200);
    assert.match(index.headers.get('content-type'), /^text\/html/);
    const deep = await fetch(devnet.appUrl + 'datanets/7');
    assert.equal(deep.status, 200);
    assert.equal(await deep.text(), await index.text());
    const html = await (await fetch(devnet.appUrl)).text();
    const js = html.match(/src="(\/app\/assets\/[^"]+\.js)"/)[1];
    const asset = await fetch(new URL(js, devnet.appUrl));
    assert.match(asset.headers.get('content-type'), /^text\/javascript/);
    assert.match(asset.headers.get('cache-control'), /immutable/);
    assert.equal((await fetch(devnet.appUrl + 'assets/missing.js')).status, 404);
    // Paths that try to leave web/dist get a 404 or the app's index, never a file from outside.
    for (const raw of ['/app/..%2f..%2fdeploy%2flib.sh', '/app/%2e%2e/%2e%2e/deploy/lib.sh', '/app/assets/..%5c..%5cpackage.json', '/app/../README.md']) {
      const { status, body } = await rawGet(new URL(devnet.appUrl).port, raw);
      assert.ok(status === 404 || status === 405 || (status === 200 && body === html), `${raw}: ${status}`);
      assert.ok(!body.includes('#!/usr/bin/env bash') && !body.includes('"devDependencies"') && !body.includes('# OpenLedger'), `${raw} leaked a file`);
    }
    assert.equal(cfg.l2.chainId, 1330660686);
    assert.equal(cfg.l2.currency.symbol, 'OPEN');
    assert.equal(cfg.l2.currency.decimals, 18);
    assert.equal(cfg.services.datanetsApi, devnet.apiUrl);
    assert.ok(cfg.l1.contracts.OpenToken && cfg.l2.contracts.DatanetRegistry);
  });

  it('connects, adds the network to the wallet and shows OPEN on L1 and L2', async () => {
    await page.goto(devnet.appUrl);
    await page.getByRole('heading', { level: 1, name: 'Connect' }).waitFor();
    assert.equal(wallet.connected, false);
    await page.getByRole('button', { name: 'Connect wallet' }).click();
    await page.getByTestId('account').waitFor();
    assert.equal(await page.getByTestId('account').textContent(), me);
    await page.getByRole('button', { name: `Add ${cfg.l2.name} to wallet` }).click();
    await page.getByText(`${cfg.l2.name} added and selected`).waitFor();
    const add = wallet.calls.find(([m]) => m === 'wallet_addEthereumChain')[1][0];
    assert.deepEqual(add, { chainId: '0x4f50454e', chainName: cfg.l2.name, rpcUrls: [devnet.l2Rpc], nativeCurrency: { name: 'OPEN', symbol: 'OPEN', decimals: 18 } });
    assert.equal(wallet.chainId, 1330660686);
    assert.equal(await page.getByTestId('chain-id').textContent(), '1330660686');
    const l1Open = await l1.readContract({ address: cfg.l1.contracts.OpenToken, abi: abis.OpenTokenAbi, functionName: 'balanceOf', args: [me] });
    await until('balances', async () =>
      (await page.getByTestId('balance-l2').textContent()) === shown(await l2.getBalance({ address: me }))
      && (await page.getByTestId('balance-l1').textContent()) === shown(l1Open));
    assert.ok(l1Open > 0n);
    await checkPage('connect');
  });

  it('creates a Datanet, uploads a signed contribution, reviews it and publishes a version', async () => {
    const registry = cfg.l2.contracts.DatanetRegistry;
    const read = (functionName, args = []) => l2.readContract({ address: registry, abi: abis.DatanetRegistryAbi, functionName, args });
    await go('Datanets');
    const before = await read('datanetCount');
    const name = `Recipes ${Date.now()}`;
    await page.getByLabel('Name', { exact: true }).fill(name);
    await page.getByLabel('License').fill('CC-BY-4.0');
    await page.getByLabel('Kind').selectOption('text');
    await page.getByLabel('Fee per contribution (OPEN)').fill('0.01');
    await page.getByRole('button', { name: 'Create Datanet' }).click();
    await confirmTx('Create a Datanet');
    const id = before + 1n;
    assert.equal(await read('datanetCount'), id);
    const d = await read('getDatanet', [id]);
    assert.equal(d.name, name);
    assert.equal(d.fee, parseEther('0.01'));
    assert.equal(d.owner, me);

    await page.getByRole('button', { name: `Open Datanet ${name}` }).click({ timeout: 30_000 });
    await page.getByLabel('Curator address').fill(ACCT1);
    await page.getByRole('button', { name: 'Add curator' }).click();
    await confirmTx('Add a curator');
    assert.equal(await read('isCurator', [id, ACCT1]), true);
    const text = `Bake at 180 C for 25 minutes. ${Date.now()}`;
    await page.getByLabel('Text to contribute').fill(text);
    const balanceBefore = await l2.getBalance({ address: registry });
    await page.getByRole('button', { name: 'Sign, upload and contribute' }).click();
    await confirmTx('Contribute to a Datanet');
    assert.ok(wallet.calls.some(([m]) => m === 'eth_signTypedData_v4'), 'the upload permit was signed');
    const cid = await read('contributionCount');
    const c = await read('getContribution', [cid]);
    assert.equal(c.contentHash, keccak256(toBytes(text)));
    assert.equal(c.contributor, me);
    assert.equal(c.status, 1); // pending
    assert.equal(await l2.getBalance({ address: registry }) - balanceBefore, parseEther('0.01'), 'the fee went to the registry');
    await page.getByTestId('upload-step').getByText('Contribution recorded').waitFor();

    // The curator (account 1) reviews: the wallet switches account, the app follows.
    await wallet.switchAccount(KEY1);
    await page.getByTestId('account-badge').getByText(/^0x7099/).waitFor();
    await page.getByRole('button', { name: `Approve contribution ${cid}` }).click({ timeout: 30_000 });
    await confirmTx('Approve a contribution');
    assert.equal((await read('getContribution', [cid])).status, 2); // approved
    const [reviewed] = await l2.getContractEvents({ address: registry, abi: abis.DatanetRegistryAbi, eventName: 'ContributionReviewed', args: { contributionId: cid }, fromBlock: 0n });
    assert.equal(reviewed.args.reviewer, ACCT1);
    await wallet.switchAccount(KEY0);
    await page.getByTestId('account-badge').getByText(/^0xf39F/).waitFor();

    const publish = page.getByRole('button', { name: 'Publish version 1' });
    await until('the draft', () => publish.isEnabled());
    await publish.click();
    await confirmTx('Publish a Datanet version');
    const v = await read('getVersion', [id, 1n]);
    assert.equal(v.count, 1n);
    const draft = await (await fetch(`${devnet.apiUrl}/api/datanets/${id}/versions/draft`)).json();
    assert.equal(v.root, draft.root);
    await page.getByTestId('version-1').waitFor({ timeout: 30_000 });
    await checkPage('datanets');
  });

  it('shows claimable rewards per epoch and claims them after the challenge window', async () => {
    const rewards = cfg.l2.contracts.AttributionRewards;
    const poster = createWalletClient({ account: privateKeyToAccount(KEY0), chain: { id: cfg.l2.chainId, name: 'l2', nativeCurrency: cfg.l2.currency, rpcUrls: { default: { http: [devnet.l2Rpc] } } }, transport: http(devnet.l2Rpc) });
    // The attribution service's part, done here: fees into epoch 1, a root over two leaves, the leaves to the API.
    const leaves = [[me, parseEther('0.5')], [ACCT1, parseEther('0.3')]];
    const hashes = leaves.map(([a, v]) => keccak256(keccak256(encodeAbiParameters([{ type: 'address' }, { type: 'uint256' }], [a, v]))));
    const sorted = [...hashes].sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1));
    const root = keccak256(concat(sorted));
    for (const [functionName, args, value] of [['depositFees', [1n], parseEther('1')], ['postRoot', [1n, root, parseEther('0.8')]]]) {
      const hash = await poster.writeContract({ address: rewards, abi: abis.AttributionRewardsAbi, functionName, args, value });
      assert.equal((await l2.waitForTransactionReceipt({ hash })).status, 'success');
    }
    await until('the API to take the leaves', async () => {
      const r = await fetch(`${devnet.apiUrl}/api/epochs/1/leaves`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ claims: leaves.map(([account, amount]) => ({ account, amount: amount.toString() })) }) });
      return r.ok;
    });
    await go('Rewards');
    await page.getByTestId('unclaimed-total').getByText(shown(parseEther('0.5'))).waitFor({ timeout: 30_000 });
    const row = page.getByTestId('epoch-1');
    await row.getByText(/in 2[34]h|in 1d/).waitFor();
    // Before the window ends the dialog names the contract's reason.
    await row.getByRole('button', { name: 'Claim epoch 1' }).click();
    await page.getByRole('dialog').getByText(/Would fail: reverted: ChallengeWindowOpen\(epoch=1, endsAt=\d+\)/).waitFor();
    await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
    await travel(devnet.l2Rpc, 86_401);
    await row.getByText('now').waitFor();
    const held = await l2.getBalance({ address: rewards });
    await row.getByRole('button', { name: 'Claim epoch 1' }).click();
    await confirmTx('Claim rewards');
    assert.equal(await l2.readContract({ address: rewards, abi: abis.AttributionRewardsAbi, functionName: 'isClaimed', args: [1n, me] }), true);
    assert.equal(held - await l2.getBalance({ address: rewards }), parseEther('0.5'));
    await page.getByTestId('no-rewards').waitFor();
    await checkPage('rewards');
  });

  it('stakes, requests an unstake, is told why an early withdraw fails, and withdraws after the unbonding period', async () => {
    const { StakingManager: staking, OpenToken: token } = cfg.l1.contracts;
    const balance = () => l1.readContract({ address: token, abi: abis.OpenTokenAbi, functionName: 'balanceOf', args: [me] });
    const position = () => l1.readContract({ address: staking, abi: abis.StakingManagerAbi, functionName: 'positionOf', args: [me, 0] });
    await go('Staking');
    const start = await balance();
    const stakeForm = page.getByRole('form', { name: 'Stake', exact: true });
    await stakeForm.getByLabel('Amount (OPEN)').fill('1,5');
    await stakeForm.getByRole('button', { name: 'Stake' }).click();
    await page.getByRole('alert').getByText('Amount to stake: enter a number like 10 or 2.5').waitFor();
    await stakeForm.getByLabel('Role').selectOption('Sequencer');
    await stakeForm.getByLabel('Amount (OPEN)').fill('100');
    await page.getByRole('button', { name: 'Stake', exact: true }).click();
    // The wallet is on L2: the app switches it to L1, adding L1 first (4902).
    await confirmTx('Step 1 of 2: allow staking', 'Step 2 of 2: stake');
    assert.equal(wallet.chainId, 31337);
    assert.ok(wallet.calls.some(([m, p]) => m === 'wallet_addEthereumChain' && p[0].chainId === '0x7a69'), 'L1 was added to the wallet');
    assert.equal(await l1.readContract({ address: token, abi: abis.OpenTokenAbi, functionName: 'allowance', args: [me, staking] }), parseEther('100'));
    await confirmTx('Step 2 of 2: stake');
    assert.equal((await position()).active, parseEther('100'));
    assert.equal(start - await balance(), parseEther('100'));

    await page.getByLabel('Amount to unstake (OPEN)').fill('40');
    await page.getByRole('button', { name: 'Request unstake' }).click();
    await confirmTx('Request unstake');
    const p = await position();
    assert.equal(p.active, parseEther('60'));
    assert.equal(p.unbonding, parseEther('40'));

    await page.getByRole('button', { name: 'Withdraw Sequencer stake' }).click();
    await page.getByRole('dialog').getByText(`Would fail: reverted: StillUnbonding(unbondingEnd=${p.unbondingEnd})`).waitFor();
    await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
    await travel(devnet.l1Rpc, 7 * 86_400 + 1);
    await page.getByRole('button', { name: 'Withdraw Sequencer stake' }).click();
    await confirmTx('Withdraw unbonded stake');
    assert.equal((await position()).unbonding, 0n);
    assert.equal(start - await balance(), parseEther('60'));
    await page.getByTestId('unbonding-Sequencer').getByText('0 OPEN').waitFor();
    await checkPage('staking');
  });

  it('delegates, proposes a treasury grant, votes, queues and executes it', async () => {
    const { OpenToken: token, OpenGovernor: governor, TeamVesting: team } = cfg.l1.contracts;
    const tokenRead = (functionName, args) => l1.readContract({ address: token, abi: abis.OpenTokenAbi, functionName, args });
    await go('Governance');
    await page.getByRole('button', { name: 'Delegate', exact: true }).click();
    await confirmTx('Delegate votes');
    await page.getByRole('button', { name: /^Delegate TeamVesting/ }).click();
    await confirmTx('Delegate TeamVesting votes');
    assert.equal(await tokenRead('getVotes', [me]), await tokenRead('balanceOf', [me]) + await tokenRead('balanceOf', [team]));
    await until('voting power shown', async () => (await page.getByTestId('voting-power').textContent()) === shown(await tokenRead('getVotes', [me])));

    const granteeBefore = await tokenRead('balanceOf', [ACCT2]);
    await page.getByLabel('Recipient').fill(ACCT2);
    await page.getByLabel('Amount (OPEN from the treasury)').fill('1000');
    await page.getByLabel('Description').fill(`Grant 1000 OPEN to account 2 (${Date.now()})`);
    await page.getByRole('button', { name: 'Propose' }).click();
    await confirmTx('Create a proposal');
    const state = page.getByTestId('proposal').first().getByTestId('proposal-state');
    await state.getByText('Pending').waitFor();

    await travel(devnet.l1Rpc, 86_400 + 1);
    await state.getByText('Active').waitFor();
    await page.getByRole('button', { name: 'Vote for' }).click();
    await confirmTx('Vote');
    const [{ args: created }] = await l1.getContractEvents({ address: governor, abi: abis.OpenGovernorAbi, eventName: 'ProposalCreated', fromBlock: 0n });
    assert.equal(await l1.readContract({ address: governor, abi: abis.OpenGovernorAbi, functionName: 'hasVoted', args: [created.proposalId, me] }), true);

    await travel(devnet.l1Rpc, 14 * 86_400 + 1);
    await state.getByText('Succeeded').waitFor();
    await page.getByRole('button', { name: 'Queue' }).click();
    await confirmTx('Queue a proposal');
    await state.getByText('Queued').waitFor();
    await travel(devnet.l1Rpc, 86_400 + 1);
    await page.getByRole('button', { name: 'Execute' }).click();
    await confirmTx('Execute a proposal');
    await state.getByText('Executed').waitFor();
    assert.equal(await tokenRead('balanceOf', [ACCT2]) - granteeBefore, parseEther('1000'));
    await checkPage('governance');
  });

  it('says plainly what is not available: the bridge without a rollup, ModelFactory training without --models-dir', async () => {
    for (const [label, shot] of [['Bridge', 'bridge'], ['ModelFactory', 'factory']]) {
      await go(label);
      await page.getByText('Not available on this network yet.').first().waitFor();
      await checkPage(shot);
    }
  });

  it("reaches the devnet's own inference service from the Playground", async () => {
    await go('Playground');
    // /app/config.json names the devnet's serve as …/v1; the page must reach its /health and /v1/models (no 404s, see below).
    await page.getByText('paid: each request is authorized in your wallet').first().waitFor();
    await checkPage('playground');
  });

  it('logged no console errors', () => {
    assert.deepEqual(consoleErrors, []);
  });
});
