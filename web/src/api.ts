// The Datanets REST API (src/OpenLedger.Datanets; OpenAPI at /openapi/v1.json). Errors are RFC 7807 problem details.
import type { Address, Hex } from 'viem';

export interface Datanet { id: number; owner: string; kind: string; name: string; metadataUri: string; license: string; fee: string; maxFileBytes: number; contributions: number; approved: number; versions: number; createdBlock: number }
export interface DatanetDetail { datanet: Datanet; curators: string[] }
export interface Contribution { id: number; datanetId: number; contributor: string; contentHash: string; size: number; metadataUri: string; feePaid: string; status: string; blockNumber: number; txHash: string; mediaType: string | null; contentAvailable: boolean }
export interface Version { datanetId: number; version: number; root: Hex; count: number; blockNumber: number }
export interface VersionDraft { datanetId: number; root: Hex; count: number; nextVersion: number; contributionIds: number[] }
export interface Page<T> { items: T[]; nextCursor: string | null }
export interface Unclaimed { epoch: number; root: Hex; amount: string; proof: Hex[] }
export interface Claim { epoch: number; account: string; amount: string; blockNumber: number }
export interface Account { address: string; contributions: number; approved: number; rejected: number; pending: number; bytesSubmitted: number; claims: Claim[]; unclaimed: Unclaimed[] }
export interface Model { id: number; owner: string; kind: string; baseModel: string; metadataUri: string; pricePer1kTokens: string; active: boolean; versions: number; blockNumber: number }
export interface UploadResult { datanetId: number; contentHash: Hex; size: number; mediaType: string; uploader: string; created: boolean }
export interface Status { indexedBlock: number | null }

export class ApiError extends Error {
  constructor(public status: number, message: string) { super(message); }
}

export class DatanetsApi {
  constructor(public readonly base: string) {}

  protected get<T>(path: string, init?: RequestInit): Promise<T> { return this.req<T>(path, init); }

  private async req<T>(path: string, init?: RequestInit): Promise<T> {
    let res: Response;
    try {
      res = await fetch(this.base + path, init);
    } catch (e) {
      throw new ApiError(0, `Datanets API unreachable (${this.base}): ${(e as Error).message}`);
    }
    if (!res.ok) {
      let detail = `HTTP ${res.status}`;
      try {
        const p = await res.json();
        detail = [p.title, p.detail].filter(Boolean).join(': ') || detail;
      } catch { /* not JSON */ }
      throw new ApiError(res.status, detail);
    }
    return (await res.json()) as T;
  }

  datanets = () => this.req<Page<Datanet>>('/api/datanets?limit=200');
  datanet = (id: number) => this.req<DatanetDetail>(`/api/datanets/${id}`);
  contributions = (id: number) => this.req<Page<Contribution>>(`/api/datanets/${id}/contributions?limit=200`);
  versions = (id: number) => this.req<Version[]>(`/api/datanets/${id}/versions`);
  draft = (id: number) => this.req<VersionDraft>(`/api/datanets/${id}/versions/draft`);
  account = (a: Address) => this.req<Account>(`/api/accounts/${a}`);
  models = () => this.req<Page<Model>>('/api/models?limit=200');
  status = () => this.req<Status>('/api/status');

  /** POST the bytes with the signed EIP-712 Upload permit in the X-Upload-* headers. */
  upload(id: number, body: Uint8Array, p: { contributor: Address; contentHash: Hex; expiry: bigint; nonce: bigint; signature: Hex }) {
    return this.req<UploadResult>(`/api/datanets/${id}/contributions`, {
      method: 'POST',
      body: body as BodyInit,
      headers: {
        'Content-Type': 'application/octet-stream',
        'X-Upload-Contributor': p.contributor,
        'X-Upload-Content-Hash': p.contentHash,
        'X-Upload-Expiry': p.expiry.toString(),
        'X-Upload-Nonce': p.nonce.toString(),
        'X-Upload-Signature': p.signature,
      },
    });
  }
}

// The node's fine-tune jobs (/api/factory on the same API host; src/OpenLedger.Node/Factory).
export interface Hyperparameters { steps?: number; rank?: number; alpha?: number; learningRate?: number; batchSize?: number; maxLength?: number; seed?: number }
export interface LossPoint { step: number; loss: number }
export interface TrainedOn { datanetId: number; version: number; root: Hex }
export interface FineTuneJob {
  id: number; status: 'queued' | 'running' | 'succeeded' | 'failed'; datanetId: number; version: number; baseModel: string; hyperparameters: Hyperparameters;
  step: number; totalSteps: number; losses: LossPoint[]; error: string | null; createdAt: string; startedAt: string | null; finishedAt: string | null;
  adapterHash: Hex | null; trainingConfigHash: Hex | null; trainedOn: TrainedOn[]; examples: number | null;
}

export class FactoryApi extends DatanetsApi {
  baseModels = () => this.get<{ items: string[] }>('/api/factory/models');
  jobs = () => this.get<FineTuneJob[]>('/api/factory/jobs');
  job = (id: number) => this.get<FineTuneJob>(`/api/factory/jobs/${id}`);
  start = (body: { datanetId: number; version: number; baseModel: string; hyperparameters: Hyperparameters }) =>
    this.get<FineTuneJob>('/api/factory/jobs', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
}
