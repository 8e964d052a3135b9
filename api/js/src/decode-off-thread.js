// Decodes payloads in a Web Worker where there is one (browsers), else in the calling thread (Node, tests).
import { decode } from './decoder.js';

let worker = null;
let nextId = 1;
const pending = new Map();

function startWorker() {
  worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
  worker.onmessage = (event) => {
    const { id, analysis, error, decodeMs } = event.data;
    const call = pending.get(id);
    pending.delete(id);
    if (!call) return;
    if (error) {
      const failure = new Error(error.message);
      failure.name = error.name;
      call.reject(failure);
    } else {
      call.resolve({ analysis, decodeMs });
    }
  };
  worker.onerror = (event) => {
    for (const call of pending.values()) call.reject(new Error(`stemcache decoder worker failed: ${event.message}`));
    pending.clear();
    worker = null;
  };
  return worker;
}

/** Whether decoding runs off the main thread here. */
export const decodesInWorker = () => typeof Worker !== 'undefined';

/**
 * Decodes an ArrayBuffer of payload bytes; in a browser the buffer is transferred to the worker (the caller's copy
 * becomes empty). Resolves {analysis, decodeMs}.
 */
export function decodePayload(buffer, options) {
  if (!decodesInWorker()) {
    const started = performance.now();
    return Promise.resolve().then(() => ({ analysis: decode(new Uint8Array(buffer), options), decodeMs: performance.now() - started }));
  }
  const target = worker ?? startWorker();
  const id = nextId++;
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject });
    target.postMessage({ id, payload: buffer, options }, [buffer]);
  });
}
