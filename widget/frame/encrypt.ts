// The card as a compact JWE for the vault's public key (ECDH-ES, A256GCM, kid in the header):
// the only form in which a card number ever leaves the frame.
import { CompactEncrypt, importJWK } from 'jose'
import { parseExpiry } from './validate.js'
import { onlyDigits } from './format.js'
import type { CardValues } from './card-state.js'

/** The public key the vault publishes at /v1/jwks. */
export interface EncryptionKey {
  kty: 'EC'
  crv: 'P-256'
  x: string
  y: string
  kid: string
}

/** The JWE plaintext, exactly as DESIGN.md defines it. */
export interface CardPayload {
  number: string
  exp_month: number
  exp_year: number
  cvc?: string
  name?: string
  iat: number
  jti: string
}

/** Builds the plaintext from complete, valid values; `now` and `jti` make it fresh per request. */
export function buildPayload(values: CardValues, now: Date, jti: string): CardPayload {
  const expiry = parseExpiry(values.expiry)
  if (!expiry) throw new Error('buildPayload needs a complete expiry')
  const payload: CardPayload = {
    number: onlyDigits(values.number),
    exp_month: expiry.month,
    exp_year: expiry.year,
    iat: Math.floor(now.getTime() / 1000),
    jti,
  }
  if (values.cvc !== '') payload.cvc = values.cvc
  const name = values.name.trim()
  if (name !== '') payload.name = name
  return payload
}

/** A saved card's CVC, bound to its token: all a saved-card payment's JWE holds. */
export interface CvcPayload {
  cvc: string
  token: string
  iat: number
  jti: string
}

export async function encryptCard(payload: CardPayload | CvcPayload, key: EncryptionKey): Promise<string> {
  // Only the curve point is imported: the key can do nothing but ECDH-ES key agreement.
  const publicKey = await importJWK({ kty: key.kty, crv: key.crv, x: key.x, y: key.y }, 'ECDH-ES')
  return new CompactEncrypt(new TextEncoder().encode(JSON.stringify(payload)))
    .setProtectedHeader({ alg: 'ECDH-ES', enc: 'A256GCM', kid: key.kid })
    .encrypt(publicKey)
}
