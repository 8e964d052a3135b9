// The project page's analysis off the main thread: decoded channels in (transferred), the product's analysis JSON
// out. Web Audio decodes on the page (decodeAudioData is not available in workers); everything after runs here.
import { analyse, mixToMono } from './analyser.js';

self.onmessage = (event) => {
  const { id, channels, sampleRate, fileMetadataId, stemType } = event.data;
  try {
    const mono = mixToMono(channels);
    const analysis = analyse(mono, sampleRate, {
      fileMetadataId,
      stemType,
      onProgress: (fraction) => self.postMessage({ id, progress: fraction }),
    });
    self.postMessage({ id, analysis });
  } catch (error) {
    self.postMessage({ id, error: { name: error.name, message: error.message } });
  }
};
