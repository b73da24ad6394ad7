// How a webhook is signed, as the vault's signer (backend/events/signer.ts) and the published
// verifier (packages/node/webhooks.ts, `@tessera/node`) both know it: a compact JWS with a
// detached payload in this header, of this type, with this algorithm (docs/webhooks.md).
export const SIGNATURE_HEADER = 'Tessera-Signature'
export const SIGNATURE_TYPE = 'tessera-webhook+jws'
export const SIGNATURE_ALG = 'ES256'
