// The Bridge page on the rollup devnet (OpenPortal and L2OutputOracle deployed, deposits derived): a deposit clicked
// through in Chromium mints exactly its amount on L2 and takes exactly that OPEN into the portal's escrow on L1; a
// withdrawal clicked through (withdraw on L2, prove and finalize on L1 as the page's statuses allow) burns exactly its
// amount plus the L2 fee and releases exactly its amount from the escrow to the account on L1.
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { createPublicClient, http, parseAbiItem, parseEther } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { startDevnet } from './devnet.mjs';
import { TestWallet } from './wallet.mjs';
import { audit } from './a11y.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..', '..');
const outDir = join(process.env.OPENLEDGER_TEST_OUTPUT ?? join(here, '..', 'test-output'), 'screenshots');
const KEY0 = '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80';
const me = privateKeyToAccount(KEY0).address;
const chromePath = process.env.OPENLEDGER_CHROMIUM ?? '/usr/bin/chromium';
const tokenAbi = JSON.parse(readFileSync(join(root, 'out', 'OpenToken.sol', 'OpenToken.json'), 'utf8')).abi;
const messagePassed = parseAbiItem('event MessagePassed(uint256 indexed nonce, address indexed sender, address indexed target, uint256 value, uint256 gasLimit, bytes data, bytes32 withdrawalHash)');
let devnet, browser;
const consoleErrors = [];

before(async () => {
  assert.ok(existsSync(join(here, '..', 'dist', 'index.html')), 'web/dist is missing: run npm run build --prefix web');
  devnet = await startDevnet(root, { rollup: true });
  browser = await chromium.launch({ executablePath: chromePath, headless: true, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
});
after(async () => {
  await browser?.close().catch(() => {});
  await devnet?.stop();
});

async function until(what, f, timeoutMs = 60_000) {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await f().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out waiting for ${what}`);
}

it('deposits OPEN from L1 to L2 through the Bridge page', { timeout: 300_000 }, async () => {
  const cfg = await (await fetch(devnet.appUrl + 'config.json')).json();
  assert.equal(cfg.l2.bridge, true);
  const { OpenPortal: portal, OpenToken: token } = cfg.l1.contracts;
  assert.ok(portal && cfg.l1.contracts.L2OutputOracle, 'the rollup devnet deploys the portal and the oracle');
  const l1 = createPublicClient({ transport: http(devnet.l1Rpc) });
  const l2 = createPublicClient({ transport: http(devnet.l2Rpc) });
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const wallet = new TestWallet(KEY0);
  await wallet.attach(context);
  const page = await context.newPage();
  page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
  page.on('pageerror', (e) => consoleErrors.push(String(e)));

  await page.goto(devnet.appUrl + 'bridge');
  await page.getByRole('heading', { level: 1, name: 'Bridge' }).waitFor();
  await page.getByRole('button', { name: 'Connect wallet' }).click();
  await page.getByRole('heading', { name: 'Deposit L1 → L2' }).waitFor();

  const l1Before = await l1.readContract({ address: token, abi: tokenAbi, functionName: 'balanceOf', args: [me] });
  const escrowBefore = await l1.readContract({ address: token, abi: tokenAbi, functionName: 'balanceOf', args: [portal] });
  const l2Before = await l2.getBalance({ address: me });
  await page.getByLabel('Deposit amount (OPEN)').fill('5');
  await page.getByRole('button', { name: 'Deposit', exact: true }).click();
  const dialog = page.getByRole('dialog');
  for (const [title, next] of [['Step 1 of 2: allow the deposit', 'Deposit OPEN to L2'], ['Deposit OPEN to L2', null]]) {
    await dialog.getByRole('heading', { name: title }).waitFor({ timeout: 30_000 });
    await dialog.getByText('Simulation passed').waitFor({ timeout: 30_000 });
    await dialog.getByRole('button', { name: 'Confirm in wallet' }).click();
    if (next) await dialog.getByRole('heading', { name: next }).waitFor({ timeout: 60_000 });
    else await dialog.getByText(/^Confirmed in block/).waitFor({ timeout: 60_000 });
  }
  await dialog.getByRole('button', { name: 'Close' }).click();
  assert.equal(l1Before - await l1.readContract({ address: token, abi: tokenAbi, functionName: 'balanceOf', args: [me] }), parseEther('5'));
  assert.equal(await l1.readContract({ address: token, abi: tokenAbi, functionName: 'balanceOf', args: [portal] }) - escrowBefore, parseEther('5'));
  // The sequencer includes the deposit once its L1 block is an L2 block's origin: the L2 balance grows by exactly 5.
  await until('the deposit on L2', async () => (await l2.getBalance({ address: me })) - l2Before === parseEther('5'));
  mkdirSync(outDir, { recursive: true });
  await page.screenshot({ path: join(outDir, 'bridge-deposit.png'), fullPage: true });
  assert.deepEqual(await audit(page), []);
  assert.deepEqual(consoleErrors, []);
  await context.close();
});

/** The receipt's whole L2 cost: execution gas plus the L1 data fee when the node charges one (receipts then carry l1Fee). */
async function l2Cost(rpc, hash) {
  const r = await (await fetch(rpc, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_getTransactionReceipt', params: [hash] }) })).json();
  return BigInt(r.result.gasUsed) * BigInt(r.result.effectiveGasPrice) + (r.result.l1Fee ? BigInt(r.result.l1Fee) : 0n);
}

it('withdraws OPEN from L2 to L1: withdraw, prove and finalize through the Bridge page', { timeout: 420_000 }, async () => {
  const cfg = await (await fetch(devnet.appUrl + 'config.json')).json();
  const { OpenPortal: portal, OpenToken: token } = cfg.l1.contracts;
  const l1 = createPublicClient({ transport: http(devnet.l1Rpc) });
  const l2 = createPublicClient({ transport: http(devnet.l2Rpc) });
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const wallet = new TestWallet(KEY0);
  await wallet.attach(context);
  const page = await context.newPage();
  page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
  page.on('pageerror', (e) => consoleErrors.push(String(e)));
  await page.goto(devnet.appUrl + 'bridge');
  await page.getByRole('button', { name: 'Connect wallet' }).click();
  await page.getByRole('heading', { name: 'Withdraw L2 → L1' }).waitFor();

  const l1Before = await l1.readContract({ address: token, abi: tokenAbi, functionName: 'balanceOf', args: [me] });
  const escrowBefore = await l1.readContract({ address: token, abi: tokenAbi, functionName: 'balanceOf', args: [portal] });
  const l2Before = await l2.getBalance({ address: me });
  await page.getByLabel('Withdraw amount (OPEN)').fill('3');
  await page.getByRole('button', { name: 'Withdraw', exact: true }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByRole('heading', { name: 'Withdraw OPEN to L1' }).waitFor();
  await dialog.getByText('Burns 3 OPEN on L2').waitFor();
  await dialog.getByText('Simulation passed').waitFor({ timeout: 30_000 });
  await dialog.getByRole('button', { name: 'Confirm in wallet' }).click();
  await dialog.getByText(/^Confirmed in block/).waitFor({ timeout: 60_000 });
  await dialog.getByRole('button', { name: 'Close' }).click();
  const sent = wallet.calls.filter(([m]) => m === 'eth_sendTransaction').length;
  const passed = await l2.getLogs({ address: '0x4200000000000000000000000000000000000016', event: messagePassed, args: { sender: me }, fromBlock: 0n });
  assert.equal(passed.length, 1, 'the withdrawal emitted MessagePassed from the account');
  assert.equal(passed[0].args.value, parseEther('3'));
  const withdrawHash = passed[0].transactionHash;
  assert.equal(l2Before - await l2.getBalance({ address: me }), parseEther('3') + await l2Cost(devnet.l2Rpc, withdrawHash));

  // The row walks through the statuses viem's OP Stack actions report; each step's button appears when it is possible.
  const row = page.getByRole('listitem', { name: /Withdrawal of 3 OPEN/ });
  await row.getByTestId('withdrawal-status').waitFor();
  const proveButton = row.getByRole('button', { name: 'Prove' });
  await proveButton.waitFor({ timeout: 180_000 });
  await page.screenshot({ path: join(outDir, 'bridge-withdraw-ready-to-prove.png'), fullPage: true });
  await proveButton.click();
  await dialog.getByRole('heading', { name: 'Prove the withdrawal' }).waitFor({ timeout: 60_000 });
  await dialog.getByText('Simulation passed').waitFor({ timeout: 30_000 });
  await dialog.getByRole('button', { name: 'Confirm in wallet' }).click();
  await dialog.getByText(/^Confirmed in block/).waitFor({ timeout: 60_000 });
  await dialog.getByRole('button', { name: 'Close' }).click();
  await row.getByText('Proven; waiting out the finalization period').waitFor({ timeout: 30_000 });
  await row.getByTestId('withdrawal-countdown').waitFor();
  await page.screenshot({ path: join(outDir, 'bridge-withdraw-finalization-countdown.png'), fullPage: true });
  assert.equal(await l1.readContract({ address: token, abi: tokenAbi, functionName: 'balanceOf', args: [portal] }), escrowBefore, 'proving releases nothing');

  const finalizeButton = row.getByRole('button', { name: 'Finalize' });
  await finalizeButton.waitFor({ timeout: 180_000 });
  await finalizeButton.click();
  await dialog.getByRole('heading', { name: 'Finalize the withdrawal' }).waitFor();
  await dialog.getByText('Simulation passed').waitFor({ timeout: 30_000 }).catch(async (e) => { throw new Error(`${e.message}: ${await dialog.getByTestId('tx-status').textContent()}`); });
  await dialog.getByRole('button', { name: 'Confirm in wallet' }).click();
  await dialog.getByText(/^Confirmed in block/).waitFor({ timeout: 60_000 });
  await dialog.getByRole('button', { name: 'Close' }).click();
  await row.getByText('Finalized: the OPEN is on L1').waitFor({ timeout: 30_000 });
  assert.equal(wallet.calls.filter(([m]) => m === 'eth_sendTransaction').length, sent + 2, 'prove and finalize: one wallet transaction each');

  // L1 gas is paid in ETH: the account's OPEN on L1 grows by exactly the amount, the escrow shrinks by exactly that.
  assert.equal(await l1.readContract({ address: token, abi: tokenAbi, functionName: 'balanceOf', args: [me] }) - l1Before, parseEther('3'));
  assert.equal(escrowBefore - await l1.readContract({ address: token, abi: tokenAbi, functionName: 'balanceOf', args: [portal] }), parseEther('3'));
  await page.screenshot({ path: join(outDir, 'bridge-withdraw-finalized.png'), fullPage: true });
  assert.deepEqual(await audit(page), []);
  assert.deepEqual(consoleErrors, []);
  await context.close();
});
