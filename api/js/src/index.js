export { createAudioCache, createGuestSession, fromProductJson, StemcacheApiError } from './client.js';
export { decode, readHeader, MEDIA_TYPE, PRECISIONS, DEFAULT_MAX_DECODED_BYTES, CorruptPayloadError, PayloadTooLargeError } from './decoder.js';
export { decodePayload, decodesInWorker } from './decode-off-thread.js';
