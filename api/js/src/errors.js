/** A payload that is truncated, corrupt or breaks a limit of docs/payload-format.md, section 8. */
export class CorruptPayloadError extends Error {
  constructor(message) {
    super(`stemcache payload: ${message}`);
    this.name = 'CorruptPayloadError';
  }
}

/** A payload that claims more values than the decoder's limit allows. */
export class PayloadTooLargeError extends CorruptPayloadError {
  constructor(message) {
    super(message);
    this.name = 'PayloadTooLargeError';
  }
}
