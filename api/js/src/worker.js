// The decoder's Web Worker: payload bytes in, a decoded analysis out, its arrays transferred (not copied), so
// decoding never runs on the page's main thread.
import { decode } from './decoder.js';

self.onmessage = (event) => {
  const { id, payload, options } = event.data;
  const started = performance.now();
  try {
    const analysis = decode(new Uint8Array(payload), options);
    const transfer = Object.values(analysis.analysisData).map((a) => a.buffer);
    transfer.push(analysis.waveform.points.buffer);
    self.postMessage({ id, analysis, decodeMs: performance.now() - started }, transfer);
  } catch (error) {
    self.postMessage({ id, error: { name: error.name, message: error.message } });
  }
};
