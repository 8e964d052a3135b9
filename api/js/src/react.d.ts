import type { ReactNode, ReactElement } from 'react';
import type { AudioCache, ArrivalReport } from './index.js';

export function AudioCacheProvider(props: { cache: AudioCache; children?: ReactNode }): ReactElement;

export interface UseAudioCache extends Omit<AudioCache, 'claimGuest' | 'stems'> {
  loading: boolean;
  error: Error | null;
  lastReport: ArrivalReport | null;
}

export function useAudioCache(cache?: AudioCache): UseAudioCache;
