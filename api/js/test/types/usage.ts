// A TypeScript user of @stemcache/client: compiled (not run) by types.test.mjs with tsc --noEmit, so the .d.ts files
// stay in step with what the package exports. The @ts-expect-error lines must stay errors.
import { createAudioCache, decode, StemcacheApiError, type DecodedAnalysis, type StemStatus } from '../../src/index.js';
import { AudioCacheProvider, useAudioCache } from '../../src/react.js';

const cache = createAudioCache({ baseUrl: 'https://api.example', getToken: async () => 'token' });

async function show(fileId: string): Promise<number> {
  const got = await cache.getCachedAnalysis(fileId, 'drums', { features: ['rms'] });
  if (got === null) return 0;
  const rms: Float64Array = got.analysis.analysisData.rms;
  const source: 'network' | 'revalidated' | 'browser-cache' | 'analysed' = got.report.source;
  const status: Record<string, Record<string, StemStatus>> = await cache.isAnalysisCached([fileId]);
  const state: 'cached' | 'analysing' | 'stale' | 'missing' = status[fileId].drums.state;
  const result = await cache.getOrAnalyse(fileId, 'bass', async () => ({
    fileMetadataId: fileId, stemType: 'bass', analysisVersion: '1.0', analysisData: { rms: [0.1] },
    waveformData: { points: [0], sampleRate: 44100, duration: 1, markers: [{ time: 0.5, type: 'beat', intensity: 1 }] },
    metadata: { sampleRate: 44100, duration: 1, bufferSize: 512, featuresExtracted: ['rms'], analysisDuration: 3 },
  }));
  const analysed: boolean = result.analysed;
  const decoded: DecodedAnalysis = decode(new Uint8Array(0));
  // @ts-expect-error: not a stem
  await cache.getCachedAnalysis(fileId, 'tuba');
  // @ts-expect-error: getToken is required
  createAudioCache({ baseUrl: '' });
  try {
    await cache.cacheStats();
  } catch (e) {
    if (e instanceof StemcacheApiError) return e.status;
  }
  return rms.length + (analysed ? 1 : 0) + decoded.markers.length + source.length + state.length;
}

function Panel(): null {
  const { getCachedAnalysis, loading, error, lastReport } = useAudioCache();
  void getCachedAnalysis('f', 'vocals');
  void [loading, error, lastReport?.storedBytes];
  return null;
}

void show;
void Panel;
void AudioCacheProvider;
