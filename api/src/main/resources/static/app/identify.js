// A file's identity from its bytes: contentHash "sha256:<hex>" and a file id made from the same digest (an RFC 9562
// version 8 UUID: the digest's first 16 bytes with the version and variant bits set), so the same audio picked in
// two tabs, or again after a refresh, is the same file and its analysis is found, not made again.

/** {contentHash, fileId} of these bytes (crypto.subtle: the page must be served over https or from localhost). */
export async function identify(bytes) {
  if (!globalThis.crypto?.subtle) {
    throw new Error('this page needs crypto.subtle to hash audio: open it over https or from localhost');
  }
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  const hex = Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
  const id = digest.slice(0, 16);
  id[6] = (id[6] & 0x0f) | 0x80;
  id[8] = (id[8] & 0x3f) | 0x80;
  const h = Array.from(id, (b) => b.toString(16).padStart(2, '0')).join('');
  const fileId = `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  return { contentHash: `sha256:${hex}`, fileId };
}
