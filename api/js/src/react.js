// useAudioCache(): the story's React hook over a stemcache client. React is a peer dependency of this module only.
import { createContext, createElement, useCallback, useContext, useMemo, useState } from 'react';

const AudioCacheContext = createContext(null);

/** Gives the components below it a client made by createAudioCache. */
export function AudioCacheProvider({ cache, children }) {
  return createElement(AudioCacheContext.Provider, { value: cache }, children);
}

/**
 * The cache operations of the provider's client (or of `cache`), with {loading, error, lastReport}: the report of
 * the last read or analysis (where it came from, bytes, milliseconds).
 */
export function useAudioCache(cache) {
  const provided = useContext(AudioCacheContext);
  const client = cache ?? provided;
  if (!client) throw new Error('useAudioCache: wrap the component in <AudioCacheProvider cache={...}> or pass a cache');
  const [state, setState] = useState({ loading: false, error: null, lastReport: null });

  const run = useCallback(async (operation) => {
    setState((s) => ({ ...s, loading: true, error: null }));
    try {
      const result = await operation();
      setState((s) => ({ loading: false, error: null, lastReport: result?.report ?? s.lastReport }));
      return result;
    } catch (error) {
      setState((s) => ({ ...s, loading: false, error }));
      throw error;
    }
  }, []);

  return useMemo(() => ({
    ...state,
    getCachedAnalysis: (fileId, stem, options) => run(() => client.getCachedAnalysis(fileId, stem, options)),
    isAnalysisCached: (fileIds) => run(() => client.isAnalysisCached(fileIds)),
    cacheAnalysis: (fileId, stem, analysis, options) => run(() => client.cacheAnalysis(fileId, stem, analysis, options)),
    clearCache: (fileId) => run(() => client.clearCache(fileId)),
    cacheStats: () => run(() => client.cacheStats()),
    warmProject: (fileIds) => run(() => client.warmProject(fileIds)),
    getOrAnalyse: (fileId, stem, analyse, options) => run(() => client.getOrAnalyse(fileId, stem, analyse, options)),
  }), [client, run, state]);
}
