// Types of @stemcache/client (src/index.js).

export type StemType = 'drums' | 'bass' | 'vocals' | 'other' | 'master';
export type Precision = 'FLOAT64' | 'FLOAT32' | 'Q16';
export type MarkerType = 'beat' | 'onset' | 'peak' | 'drop';

export interface Marker {
  time: number;
  type: MarkerType;
  intensity: number;
  /** Absent when the marker has no frequency. */
  frequency?: number;
}

export interface AnalysisMetadata {
  sampleRate: number;
  duration: number;
  bufferSize: number;
  featuresExtracted: string[];
  analysisDuration: number;
}

/** A decoded analysis: the payload's series as Float64Arrays. */
export interface DecodedAnalysis {
  fileMetadataId: string;
  stemType: StemType;
  analysisVersion: string;
  precision: Precision;
  analysisData: Record<string, Float64Array>;
  waveform: { points: Float64Array; sampleRate: number; duration: number };
  markers: Marker[];
  metadata: AnalysisMetadata;
}

/** The product's analysis JSON, as its analysers produce it. */
export interface ProductAnalysisJson {
  fileMetadataId: string;
  stemType: StemType;
  analysisVersion: string;
  analysisData: Record<string, number[]>;
  waveformData: { points: number[]; sampleRate: number; duration: number; markers: Marker[] };
  metadata: AnalysisMetadata;
}

export interface ArrivalReport {
  /** network: the body crossed the network; revalidated: 304, the browser's copy; browser-cache: no request; analysed: made here. */
  source: 'network' | 'revalidated' | 'browser-cache' | 'analysed';
  etag?: string | null;
  precision?: Precision | string;
  version?: number;
  storedBytes?: number;
  fetchMs?: number;
  decodeMs?: number;
  analyseMs?: number;
}

export interface CachedResult {
  analysis: DecodedAnalysis;
  report: ArrivalReport;
}

export interface StemStatus {
  state: 'cached' | 'analysing' | 'stale' | 'missing';
  analysing: boolean;
  storedSize?: number;
  rawSize?: number;
  precision?: Precision;
  version?: number;
  analysisVersion?: string;
  cacheVersion?: number;
  contentHash?: string | null;
  updatedAt?: string;
}

export interface CacheStats {
  [figure: string]: unknown;
}

export interface AudioCache {
  getCachedAnalysis(fileId: string, stem: StemType, options?: { features?: string[]; contentHash?: string }): Promise<CachedResult | null>;
  isAnalysisCached(fileIds: string[]): Promise<Record<string, Record<StemType, StemStatus>>>;
  cacheAnalysis(fileId: string, stem: StemType, analysis: ProductAnalysisJson | DecodedAnalysis,
    options?: { contentHash?: string; precision?: Precision; lease?: string }): Promise<{ version: number; storedSize: number; rawSize: number; precision: Precision }>;
  clearCache(fileId: string): Promise<null>;
  cacheStats(): Promise<CacheStats>;
  warmProject(fileIds: string[]): Promise<{ files: number; stems: number }>;
  getOrAnalyse(fileId: string, stem: StemType, analyse: () => Promise<ProductAnalysisJson>,
    options?: { features?: string[]; contentHash?: string; precision?: Precision }): Promise<CachedResult & { analysed: boolean }>;
  claimGuest(guestToken: string): Promise<{ moved: number }>;
  readonly stems: StemType[];
}

export interface AudioCacheOptions {
  /** The API node's origin; '' (default) for the page's own. */
  baseUrl?: string;
  /** The caller's bearer token (Supabase access token or a guest session's). */
  getToken: () => string | Promise<string>;
  fetch?: typeof fetch;
  maxDecodedBytes?: number;
  /** How long one lease wait lasts (seconds, at most 60). */
  leaseWaitSeconds?: number;
}

export function createAudioCache(options: AudioCacheOptions): AudioCache;
export function createGuestSession(baseUrl?: string, fetchImpl?: typeof fetch): Promise<{ token: string; tokenType: 'Bearer'; expiresAt: string }>;
export function fromProductJson(json: ProductAnalysisJson): DecodedAnalysis;

export class StemcacheApiError extends Error {
  readonly status: number;
  readonly problem: { type?: string; title?: string; status?: number; detail?: string; [extension: string]: unknown } | null;
}

export const MEDIA_TYPE: 'application/vnd.stemcache.analysis';
export const PRECISIONS: readonly Precision[];
export const DEFAULT_MAX_DECODED_BYTES: number;
export function decode(payload: ArrayBuffer | Uint8Array, options?: { maxDecodedBytes?: number }): DecodedAnalysis;
export function readHeader(payload: ArrayBuffer | Uint8Array, options?: { maxDecodedBytes?: number }):
  { version: number; precision: Precision; valueCount: number; bodyLength: number; checksum: number };
export function decodePayload(buffer: ArrayBuffer, options?: { maxDecodedBytes?: number }): Promise<{ analysis: DecodedAnalysis; decodeMs: number }>;
export function decodesInWorker(): boolean;
export class CorruptPayloadError extends Error {}
export class PayloadTooLargeError extends CorruptPayloadError {}
