// A small, real audio analyser with the product's framing: 1024-sample Hann frames every 512 samples (about 86
// frames a second at 44.1 kHz), the incomplete last frame dropped, Meyda 5's formulas on the windowed frame, each
// series min-max normalised to [0, 1] over the stem (a constant series becomes 0.5), as the corpus was made
// (see the corpus README). Plain functions: it runs in a Worker (analyser-worker.js) and in Node alike.

export const FRAME = 1024;
export const HOP = 512;
export const MAX_POINTS = 2000;
export const ANALYSIS_VERSION = 'browser-1';
/** The series this analyser computes, in the order it writes them. */
export const FEATURES = Object.freeze(['rms', 'spectralCentroid', 'spectralRolloff', 'spectralFlatness',
  'spectralSpread', 'zcr', 'energy']);

/** Frames below this RMS (-140 dBFS) are digital silence: their undefined values (0/0) become 0. */
const SILENCE_RMS = 1e-7;
const BINS = FRAME / 2;

const HANN = new Float64Array(FRAME);
for (let i = 0; i < FRAME; i++) HANN[i] = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / (FRAME - 1));

// Radix-2 FFT tables for FRAME points.
const LEVELS = Math.log2(FRAME);
const REVERSED = new Uint32Array(FRAME);
for (let i = 0; i < FRAME; i++) {
  let r = 0;
  for (let b = 0, x = i; b < LEVELS; b++, x >>= 1) r = (r << 1) | (x & 1);
  REVERSED[i] = r;
}
const COS = new Float64Array(FRAME / 2);
const SIN = new Float64Array(FRAME / 2);
for (let i = 0; i < FRAME / 2; i++) {
  COS[i] = Math.cos((2 * Math.PI * i) / FRAME);
  SIN[i] = -Math.sin((2 * Math.PI * i) / FRAME);
}

/** The first 512 FFT magnitudes of a windowed frame (Meyda's amplitude spectrum), into `amplitude`. */
export function amplitudeSpectrum(windowed, amplitude, re = new Float64Array(FRAME), im = new Float64Array(FRAME)) {
  for (let i = 0; i < FRAME; i++) {
    re[REVERSED[i]] = windowed[i];
    im[i] = 0;
  }
  for (let size = 2; size <= FRAME; size <<= 1) {
    const half = size >> 1;
    const step = FRAME / size;
    for (let start = 0; start < FRAME; start += size) {
      for (let k = 0; k < half; k++) {
        const c = COS[k * step];
        const s = SIN[k * step];
        const a = start + k;
        const b = a + half;
        const tr = re[b] * c - im[b] * s;
        const ti = re[b] * s + im[b] * c;
        re[b] = re[a] - tr;
        im[b] = im[a] - ti;
        re[a] += tr;
        im[a] += ti;
      }
    }
  }
  for (let k = 0; k < BINS; k++) amplitude[k] = Math.hypot(re[k], im[k]);
  return amplitude;
}

/** Mean of several channels (Float32Arrays of one length) as one mono Float32Array. */
export function mixToMono(channels) {
  if (channels.length === 1) return channels[0];
  const mono = new Float32Array(channels[0].length);
  for (const channel of channels) for (let i = 0; i < mono.length; i++) mono[i] += channel[i];
  for (let i = 0; i < mono.length; i++) mono[i] /= channels.length;
  return mono;
}

/** Min-max normalisation over the whole series, in place: [0, 1], or all 0.5 for a constant series. */
export function normalise(series) {
  let min = Infinity;
  let max = -Infinity;
  for (const v of series) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const range = max - min;
  for (let i = 0; i < series.length; i++) series[i] = range > 0 ? (series[i] - min) / range : 0.5;
  return series;
}

/** At most MAX_POINTS values: per bucket of samples, the sample of largest magnitude (sign kept), clipped to [-1, 1]. */
export function waveformPoints(samples) {
  const count = Math.min(MAX_POINTS, samples.length);
  const points = new Array(count);
  for (let p = 0; p < count; p++) {
    const from = Math.floor((p * samples.length) / count);
    const to = Math.floor(((p + 1) * samples.length) / count);
    let peak = 0;
    for (let i = from; i < to; i++) if (Math.abs(samples[i]) > Math.abs(peak)) peak = samples[i];
    points[p] = Math.max(-1, Math.min(1, peak));
  }
  return points;
}

/**
 * Onsets: frames where the log-magnitude spectral flux peaks above an adaptive threshold (the local mean plus
 * 1.5 local standard deviations over about a third of a second) and above a fifth of the stem's largest flux, at
 * least 50 ms apart. Intensity is the flux over the largest; frequency the frame's spectral centroid in Hz.
 */
export function onsets(flux, centroidHz, sampleRate) {
  const markers = [];
  const radius = Math.max(1, Math.round((0.16 * sampleRate) / HOP));
  const gap = Math.max(1, Math.round((0.05 * sampleRate) / HOP));
  let largest = 0;
  for (const f of flux) if (f > largest) largest = f;
  if (largest === 0) return markers;
  let last = -Infinity;
  for (let t = 1; t < flux.length - 1; t++) {
    if (!(flux[t] > flux[t - 1] && flux[t] >= flux[t + 1])) continue;
    let sum = 0;
    let squares = 0;
    let n = 0;
    for (let u = Math.max(0, t - radius); u <= Math.min(flux.length - 1, t + radius); u++, n++) {
      sum += flux[u];
      squares += flux[u] * flux[u];
    }
    const mean = sum / n;
    const deviation = Math.sqrt(Math.max(0, squares / n - mean * mean));
    if (flux[t] <= mean + 1.5 * deviation || flux[t] < 0.2 * largest || t - last < gap) continue;
    last = t;
    markers.push({ time: (t * HOP + FRAME / 2) / sampleRate, type: 'onset', intensity: flux[t] / largest,
      frequency: centroidHz[t] });
  }
  return markers;
}

/**
 * The product's analysis JSON of mono samples at `sampleRate`. `onProgress(fraction)` is told now and then;
 * `clock` gives milliseconds (performance.now by default) for `analysisDuration`.
 */
export function analyse(samples, sampleRate, { fileMetadataId, stemType = 'master', onProgress, clock = () => performance.now() } = {}) {
  const started = clock();
  const frames = samples.length < FRAME ? 0 : Math.floor((samples.length - FRAME) / HOP) + 1;
  const series = Object.fromEntries(FEATURES.map((name) => [name, new Float64Array(frames)]));
  const flux = new Float64Array(frames);
  const centroidHz = new Float64Array(frames);
  const windowed = new Float64Array(FRAME);
  const re = new Float64Array(FRAME);
  const im = new Float64Array(FRAME);
  let amplitude = new Float64Array(BINS);
  let previousLog = new Float64Array(BINS);
  let currentLog = new Float64Array(BINS);
  const binHz = sampleRate / FRAME;
  for (let t = 0; t < frames; t++) {
    const offset = t * HOP;
    let energy = 0;
    let crossings = 0;
    for (let i = 0; i < FRAME; i++) {
      const x = samples[offset + i] * HANN[i];
      windowed[i] = x;
      energy += x * x;
      if (i > 0 && ((windowed[i - 1] >= 0 && x < 0) || (windowed[i - 1] < 0 && x >= 0))) crossings++;
    }
    const rms = Math.sqrt(energy / FRAME);
    amplitudeSpectrum(windowed, amplitude, re, im);
    let sum = 0;
    let first = 0;
    let second = 0;
    let logSum = 0;
    let frameFlux = 0;
    for (let k = 0; k < BINS; k++) {
      const a = amplitude[k];
      sum += a;
      first += k * a;
      second += k * k * a;
      logSum += Math.log(a);
      currentLog[k] = Math.log1p(a);
      if (t > 0) frameFlux += Math.max(0, currentLog[k] - previousLog[k]);
    }
    [previousLog, currentLog] = [currentLog, previousLog];
    flux[t] = frameFlux;
    series.rms[t] = rms;
    series.energy[t] = energy;
    series.zcr[t] = crossings;
    if (rms < SILENCE_RMS || sum === 0) continue;   // silence: centroid, spread, flatness, rolloff stay 0
    const centroid = first / sum;
    series.spectralCentroid[t] = centroid;
    centroidHz[t] = centroid * binHz;
    series.spectralSpread[t] = Math.sqrt(Math.max(0, second / sum - centroid * centroid));
    const flatness = Math.exp(logSum / BINS) / (sum / BINS);
    series.spectralFlatness[t] = Number.isFinite(flatness) ? flatness : 0;
    // Meyda: the frequency below which 99% of the amplitude sum lies.
    let cumulative = 0;
    let k = 0;
    while (k < BINS - 1 && cumulative + amplitude[k] < 0.99 * sum) cumulative += amplitude[k++];
    series.spectralRolloff[t] = k * (sampleRate / 2 / (BINS - 1));
    if (onProgress && t % 2048 === 0) onProgress(t / frames);
  }
  const analysisData = {};
  for (const name of FEATURES) analysisData[name] = Array.from(normalise(series[name]));
  const markers = onsets(flux, centroidHz, sampleRate);
  const duration = samples.length / sampleRate;
  return {
    fileMetadataId,
    stemType,
    analysisVersion: ANALYSIS_VERSION,
    analysisData,
    waveformData: { points: waveformPoints(samples), sampleRate, duration, markers },
    metadata: { sampleRate, duration, bufferSize: HOP, featuresExtracted: [...FEATURES],
      analysisDuration: Math.round((clock() - started) * 1000) / 1000 },
  };
}
