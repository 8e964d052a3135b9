// The stemcache API client for browsers (and Node): the story's operations over the API node's HTTP API.
// Reads ask for the stored payload (application/vnd.stemcache.analysis) and decode it off the main thread; the
// browser's HTTP cache keeps bodies (the API answers Cache-Control: private, no-cache with a strong ETag), so a
// reload revalidates with If-None-Match and moves no analysis bytes.
import { MEDIA_TYPE } from './decoder.js';
import { decodePayload } from './decode-off-thread.js';

/** An API answer that is not a success: status, and the RFC 9457 problem the API sent. */
export class StemcacheApiError extends Error {
  constructor(status, problem) {
    super(`stemcache API ${status}: ${problem?.detail ?? problem?.title ?? 'request failed'}`);
    this.name = 'StemcacheApiError';
    this.status = status;
    this.problem = problem ?? null;
  }
}

const STEMS = ['drums', 'bass', 'vocals', 'other', 'master'];

/** The product's analysis JSON shape from a decoded one (typed arrays become arrays; markers go back into the waveform). */
function toProductJson(analysis) {
  if (!analysis.waveform) return analysis;
  return {
    fileMetadataId: analysis.fileMetadataId,
    stemType: analysis.stemType,
    analysisVersion: analysis.analysisVersion,
    analysisData: analysis.analysisData,
    waveformData: { ...analysis.waveform, markers: analysis.markers },
    metadata: analysis.metadata,
  };
}

/** The decoded shape from the product's analysis JSON: what getCachedAnalysis gives, from what an analyser made. */
export function fromProductJson(json) {
  const analysisData = {};
  for (const [name, values] of Object.entries(json.analysisData)) analysisData[name] = Float64Array.from(values);
  const { points, sampleRate, duration, markers = [] } = json.waveformData;
  return {
    fileMetadataId: json.fileMetadataId,
    stemType: json.stemType,
    analysisVersion: json.analysisVersion,
    precision: 'FLOAT64',
    analysisData,
    waveform: { points: Float64Array.from(points), sampleRate, duration },
    markers: markers.map((m) => ({ ...m })),
    metadata: json.metadata,
  };
}

const typedArraysAsArrays = (key, value) => (ArrayBuffer.isView(value) ? Array.from(value) : value);

/** How a response arrived, from the browser's resource timing where there is one. */
function arrival(url, response) {
  if (response.status === 304) return 'revalidated';
  const entries = typeof performance !== 'undefined' && performance.getEntriesByName
    ? performance.getEntriesByName(new URL(url, globalThis.location?.href ?? url).href) : [];
  const entry = entries[entries.length - 1];
  if (!entry || entry.transferSize === undefined) return 'network';
  if (entry.transferSize === 0 && entry.decodedBodySize > 0) return 'browser-cache';
  if (entry.encodedBodySize > 0 && entry.transferSize < entry.encodedBodySize) return 'revalidated';
  return 'network';
}

/**
 * A client of the API node at `baseUrl` ('' for the page's own origin). `getToken` gives the caller's bearer token
 * (a Supabase session's access token, or a guest session's); it may return a promise.
 */
export function createAudioCache({ baseUrl = '', getToken, fetch: fetchImpl, maxDecodedBytes, leaseWaitSeconds = 30 } = {}) {
  if (typeof getToken !== 'function') throw new TypeError('createAudioCache: getToken must be a function returning the bearer token');
  const doFetch = fetchImpl ?? ((...args) => globalThis.fetch(...args));
  const root = baseUrl.replace(/\/$/, '');

  async function call(method, path, { body, headers = {}, accept = 'application/json', ok = [200], raw = false } = {}) {
    const token = await getToken();
    const response = await doFetch(root + path, {
      method,
      headers: { Authorization: `Bearer ${token}`, Accept: accept, ...headers },
      body,
    });
    if (raw) return response;
    if (!ok.includes(response.status)) throw await failure(response);
    return response.status === 204 ? null : response.json();
  }

  async function failure(response) {
    let problem = null;
    try {
      problem = await response.json();
    } catch {
      // not a problem body
    }
    return new StemcacheApiError(response.status, problem);
  }

  const analysisPath = (fileId, stem) => `/api/v1/analyses/${encodeURIComponent(fileId)}/${encodeURIComponent(stem)}`;

  /**
   * The caller's entry, decoded: {analysis, report} or null on a miss. `features` (names) asks for only those
   * series; `contentHash` makes an entry of other audio a miss (and removes it).
   */
  async function getCachedAnalysis(fileId, stem, { features, contentHash } = {}) {
    const query = new URLSearchParams();
    if (features?.length) query.set('features', features.join(','));
    if (contentHash) query.set('contentHash', contentHash);
    const path = analysisPath(fileId, stem) + (query.size ? `?${query}` : '');
    const started = performance.now();
    const response = await call('GET', path, { accept: MEDIA_TYPE, raw: true });
    if (response.status === 404) {
      await response.body?.cancel();
      return null;
    }
    if (response.status !== 200) throw await failure(response);
    const buffer = await response.arrayBuffer();
    const fetchMs = performance.now() - started;
    const storedBytes = buffer.byteLength;
    const { analysis, decodeMs } = await decodePayload(buffer, maxDecodedBytes ? { maxDecodedBytes } : undefined);
    return {
      analysis,
      report: {
        source: arrival(root + path, response),
        etag: response.headers.get('ETag'),
        precision: response.headers.get('Stemcache-Precision') ?? analysis.precision,
        version: Number(response.headers.get('Stemcache-Entry-Version')),
        storedBytes,
        fetchMs,
        decodeMs,
      },
    };
  }

  /** Per file and stem of these files: {state: cached|analysing|stale|missing, ...}, in one call. */
  async function isAnalysisCached(fileIds) {
    const ids = [...new Set(fileIds)];
    const answer = await call('GET', `/api/v1/files/status?ids=${ids.map(encodeURIComponent).join(',')}`);
    const byFile = {};
    for (const file of answer.files) byFile[file.fileMetadataId] = file.stems;
    return byFile;
  }

  /** Stores an analysis (the product's JSON, or a decoded one) of the caller's stem. */
  async function cacheAnalysis(fileId, stem, analysis, { contentHash, precision, lease } = {}) {
    const headers = { 'Content-Type': 'application/json' };
    if (contentHash) headers['Stemcache-Content-Hash'] = contentHash;
    if (lease) headers['Stemcache-Lease'] = lease;
    const query = precision ? `?precision=${encodeURIComponent(precision)}` : '';
    return call('PUT', analysisPath(fileId, stem) + query, {
      body: JSON.stringify(toProductJson(analysis), typedArraysAsArrays),
      headers,
      ok: [200, 201],
    });
  }

  /** Removes the caller's stems of a file (its audio changed). */
  const clearCache = (fileId) => call('DELETE', `/api/v1/analyses/${encodeURIComponent(fileId)}`, { ok: [204] });

  /** Cluster-wide statistics. */
  const cacheStats = () => call('GET', '/api/v1/stats');

  /** Loads the caller's stems of these files into the cluster and the API node; resolves {files, stems}. */
  const warmProject = (fileIds) => call('POST', '/api/v1/files/warm', {
    body: JSON.stringify({ ids: [...new Set(fileIds)] }),
    headers: { 'Content-Type': 'application/json' },
  });

  /**
   * The stem's analysis from the cache, or analysed once cluster-wide: of all callers that miss together (tabs,
   * collaborators) one gets the stem's lease and runs `analyse()` (which resolves the product's analysis JSON), the
   * others wait for its entry. Resolves {analysis, report, analysed}.
   */
  async function getOrAnalyse(fileId, stem, analyse, { features, contentHash, precision } = {}) {
    for (let attempt = 0; attempt < 20; attempt++) {
      const cached = await getCachedAnalysis(fileId, stem, { features, contentHash });
      if (cached) return { ...cached, analysed: false };
      const claim = await call('POST', `${analysisPath(fileId, stem)}/lease?wait=${leaseWaitSeconds}`, { raw: true });
      const body = await claim.json().catch(() => null);
      if (claim.status === 201) {
        let produced;
        const started = performance.now();
        try {
          produced = await analyse();
        } catch (error) {
          await call('DELETE', `${analysisPath(fileId, stem)}/lease`, { headers: { 'Stemcache-Lease': body.lease }, ok: [204, 409] });
          throw error;
        }
        const analyseMs = performance.now() - started;
        const stored = await cacheAnalysis(fileId, stem, produced, { contentHash, precision, lease: body.lease });
        return { analysis: produced.waveform ? produced : fromProductJson(produced), report: { source: 'analysed', analyseMs, version: stored.version, storedBytes: stored.storedSize }, analysed: true };
      }
      if (claim.status !== 200 && claim.status !== 409) throw new StemcacheApiError(claim.status, body);
      // 200: written meanwhile, read it; 409: still being analysed elsewhere, wait again.
    }
    throw new Error(`stemcache: ${fileId}/${stem} was neither cached nor analysed after 20 attempts`);
  }

  /** Moves a guest session's entries to the signed-in user (getToken must give the user's token). */
  const claimGuest = (guestToken) => call('POST', '/api/v1/guest-sessions/claim', {
    body: JSON.stringify({ guestToken }),
    headers: { 'Content-Type': 'application/json' },
  });

  return { getCachedAnalysis, isAnalysisCached, cacheAnalysis, clearCache, cacheStats, warmProject, getOrAnalyse, claimGuest, stems: STEMS };
}

/** A guest session from the API node (for products without anonymous sign-in): resolves {token, expiresAt}. */
export async function createGuestSession(baseUrl = '', fetchImpl) {
  const doFetch = fetchImpl ?? ((...args) => globalThis.fetch(...args));
  const response = await doFetch(`${baseUrl.replace(/\/$/, '')}/api/v1/guest-sessions`, { method: 'POST' });
  if (response.status !== 201) throw new StemcacheApiError(response.status, await response.json().catch(() => null));
  return response.json();
}
