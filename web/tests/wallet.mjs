// An EIP-1193 wallet for the browser tests, the way wallet test kits do it: the page gets a `window.ethereum` whose
// requests go (through a Playwright binding) to this object, which signs with a dev key in Node and forwards the rest
// to the node of the selected chain. It behaves like MetaMask where the app depends on it: accounts only after
// eth_requestAccounts, wallet_addEthereumChain checks the RPC answers with the chain id it claims, switching to an
// unknown chain fails with 4902, typed data must name the selected chain, and events are emitted on changes.
import { createPublicClient, createWalletClient, defineChain, http, isAddress } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';

const INIT = `(() => {
  const listeners = {};
  const ethereum = {
    isOpenLedgerTestWallet: true,
    async request({ method, params }) {
      const r = await window.__olWallet(method, JSON.stringify(params ?? []));
      if (r.error) { const e = new Error(r.error.message); e.code = r.error.code; if (r.error.data) e.data = r.error.data; throw e; }
      return r.result;
    },
    on(ev, f) { (listeners[ev] ||= []).push(f); return ethereum; },
    removeListener(ev, f) { listeners[ev] = (listeners[ev] || []).filter((x) => x !== f); return ethereum; },
  };
  window.ethereum = ethereum;
  window.__olWalletEmit = (ev, arg) => (listeners[ev] || []).forEach((f) => f(arg));
})();`;

class RpcError extends Error {
  constructor(code, message, data) { super(message); this.code = code; this.data = data; }
}

const toJson = (v) => JSON.parse(JSON.stringify(v, (_, x) => (typeof x === 'bigint' ? '0x' + x.toString(16) : x)));

export class TestWallet {
  /** @param {`0x${string}`} privateKey */
  constructor(privateKey) {
    this.account = privateKeyToAccount(privateKey);
    this.chains = new Map(); // chainId -> { rpcUrl, name, currency }
    this.chainId = 1; // like a fresh MetaMask: on Ethereum mainnet, which this machine cannot reach
    this.connected = false;
    this.calls = []; // [method, params] for the tests' assertions
    this.page = null;
  }

  async attach(context) {
    await context.exposeBinding('__olWallet', async ({ page }, method, params) => {
      this.page = page;
      try {
        return { result: toJson(await this.handle(method, JSON.parse(params))) };
      } catch (e) {
        return { error: { code: e.code ?? -32603, message: e.shortMessage ?? e.message, data: e.data } };
      }
    });
    await context.addInitScript(INIT);
  }

  /** The user picks another account in the wallet: the app hears accountsChanged. */
  async switchAccount(privateKey) {
    this.account = privateKeyToAccount(privateKey);
    await this.emit('accountsChanged', [this.account.address]);
  }

  async emit(event, arg) {
    if (this.page && !this.page.isClosed()) await this.page.evaluate(([e, a]) => window.__olWalletEmit?.(e, a), [event, arg]).catch(() => {});
  }

  rpc() {
    const c = this.chains.get(this.chainId);
    if (!c) throw new RpcError(-32603, `test wallet: no RPC for chain ${this.chainId}`);
    return c;
  }

  chain() {
    const c = this.rpc();
    return defineChain({ id: this.chainId, name: c.name, nativeCurrency: c.currency, rpcUrls: { default: { http: [c.rpcUrl] } } });
  }

  requireSelf(address) {
    if (!this.connected) throw new RpcError(4100, 'The requested account has not been authorized by the user');
    if (typeof address !== 'string' || address.toLowerCase() !== this.account.address.toLowerCase())
      throw new RpcError(4100, `unknown account ${address}`);
  }

  async handle(method, params) {
    this.calls.push([method, params]);
    switch (method) {
      case 'eth_requestAccounts':
        this.connected = true;
        await this.emit('accountsChanged', [this.account.address]);
        return [this.account.address];
      case 'eth_accounts':
        return this.connected ? [this.account.address] : [];
      case 'eth_chainId':
        return '0x' + this.chainId.toString(16);
      case 'net_version':
        return String(this.chainId);
      case 'wallet_addEthereumChain': {
        const p = params?.[0];
        if (!p || typeof p.chainId !== 'string' || !/^0x[0-9a-f]+$/i.test(p.chainId)) throw new RpcError(-32602, 'chainId must be a 0x hex string');
        if (typeof p.chainName !== 'string' || !p.chainName) throw new RpcError(-32602, 'chainName is required');
        if (!Array.isArray(p.rpcUrls) || !p.rpcUrls.length) throw new RpcError(-32602, 'rpcUrls is required');
        const cur = p.nativeCurrency;
        if (!cur || typeof cur.symbol !== 'string' || cur.decimals !== 18) throw new RpcError(-32602, 'nativeCurrency with 18 decimals is required');
        const id = Number(BigInt(p.chainId));
        // MetaMask asks the RPC for its chain id and refuses a mismatch.
        const client = createPublicClient({ transport: http(p.rpcUrls[0]) });
        const actual = await client.getChainId();
        if (actual !== id) throw new RpcError(-32602, `the RPC at ${p.rpcUrls[0]} answers chain id ${actual}, not ${id}`);
        this.chains.set(id, { rpcUrl: p.rpcUrls[0], name: p.chainName, currency: cur });
        return null;
      }
      case 'wallet_switchEthereumChain': {
        const id = Number(BigInt(params?.[0]?.chainId ?? '0x0'));
        if (!this.chains.has(id)) throw new RpcError(4902, `Unrecognized chain ID "${params?.[0]?.chainId}". Try adding the chain using wallet_addEthereumChain first.`);
        if (id !== this.chainId) {
          this.chainId = id;
          await this.emit('chainChanged', '0x' + id.toString(16));
        }
        return null;
      }
      case 'eth_sendTransaction': {
        const t = params?.[0] ?? {};
        this.requireSelf(t.from);
        const wallet = createWalletClient({ account: this.account, chain: this.chain(), transport: http(this.rpc().rpcUrl) });
        return await wallet.sendTransaction({
          to: t.to ?? undefined, data: t.data ?? t.input, value: t.value ? BigInt(t.value) : 0n, gas: t.gas ? BigInt(t.gas) : undefined,
        });
      }
      case 'eth_signTypedData_v4': {
        const [address, json] = params;
        this.requireSelf(address);
        const typed = typeof json === 'string' ? JSON.parse(json) : json;
        if (typed.domain?.chainId !== undefined && Number(typed.domain.chainId) !== this.chainId)
          throw new RpcError(-32602, `Provided chainId "${typed.domain.chainId}" must match the active chainId "${this.chainId}"`);
        const { EIP712Domain, ...types } = typed.types;
        return await this.account.signTypedData({ domain: typed.domain, types, primaryType: typed.primaryType, message: typed.message });
      }
      case 'personal_sign': {
        const [data, address] = params;
        this.requireSelf(address);
        return await this.account.signMessage({ message: { raw: data } });
      }
      default: {
        if (method.startsWith('wallet_') || method === 'eth_sign') throw new RpcError(4200, `test wallet: ${method} is not supported`);
        const res = await fetch(this.rpc().rpcUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }) });
        const j = await res.json();
        if (j.error) throw new RpcError(j.error.code, j.error.message, j.error.data);
        return j.result;
      }
    }
  }
}

export function isWalletAddress(a) { return isAddress(a); }
