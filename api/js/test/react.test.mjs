// useAudioCache() with React and its testing library (jsdom), against the live API node JsClientIT starts.
import 'global-jsdom/register';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createElement } from 'react';
import { renderHook, act, waitFor } from '@testing-library/react';
import { createAudioCache, createGuestSession } from '../src/index.js';
import { AudioCacheProvider, useAudioCache } from '../src/react.js';

const base = process.env.STEMCACHE_BASE_URL;
const live = { skip: !base && 'STEMCACHE_BASE_URL is not set: run through JsClientIT' };

function analysis() {
  const points = Array.from({ length: 50 }, (_, i) => Math.sin(i / 5));
  return {
    fileMetadataId: randomUUID(),
    stemType: 'vocals',
    analysisVersion: '1.0',
    analysisData: { rms: points.map((p) => Math.abs(p)), zcr: points.map((p) => (p + 1) / 2) },
    waveformData: { points, sampleRate: 44100, duration: 1.2, markers: [{ time: 0.5, type: 'beat', intensity: 0.7 }] },
    metadata: { sampleRate: 44100, duration: 1.2, bufferSize: 512, featuresExtracted: ['rms', 'zcr'], analysisDuration: 12 },
  };
}

test('useAudioCache: cache, read (lastReport), status, stats and clear through the provider', live, async () => {
  const { token } = await createGuestSession(base);
  const cache = createAudioCache({ baseUrl: base, getToken: () => token });
  const wrapper = ({ children }) => createElement(AudioCacheProvider, { cache }, children);
  const { result } = renderHook(() => useAudioCache(), { wrapper });
  const a = analysis();

  assert.equal(result.current.loading, false);
  await act(() => result.current.cacheAnalysis(a.fileMetadataId, a.stemType, a));
  let got;
  await act(async () => {
    got = await result.current.getCachedAnalysis(a.fileMetadataId, a.stemType);
  });
  assert.deepEqual(Array.from(got.analysis.analysisData.zcr), a.analysisData.zcr);
  await waitFor(() => assert.equal(result.current.lastReport?.version, got.report.version));
  assert.equal(result.current.error, null);

  let status;
  await act(async () => {
    status = await result.current.isAnalysisCached([a.fileMetadataId]);
  });
  assert.equal(status[a.fileMetadataId].vocals.state, 'cached');
  let stats;
  await act(async () => {
    stats = await result.current.cacheStats();
  });
  assert.ok('hitRate' in stats || 'entries' in stats);
  await act(() => result.current.clearCache(a.fileMetadataId));
  let after;
  await act(async () => {
    after = await result.current.getCachedAnalysis(a.fileMetadataId, a.stemType);
  });
  assert.equal(after, null);
});

test('useAudioCache: a failing call sets error and rethrows; without a provider it says what is missing', live, async () => {
  const cache = createAudioCache({ baseUrl: base, getToken: () => 'not.a.token' });
  const { result } = renderHook(() => useAudioCache(cache));
  await act(async () => {
    await assert.rejects(result.current.cacheStats(), /401/);
  });
  await waitFor(() => assert.equal(result.current.error?.status, 401));
  assert.equal(result.current.loading, false);
  assert.throws(() => renderHook(() => useAudioCache()), /AudioCacheProvider/);
});
