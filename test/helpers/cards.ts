// Builds card JWEs the way the frame does (jose, ECDH-ES + A256GCM to the vault's key), and
// real-looking live card numbers for live-mode tests.
import crypto from 'node:crypto'
import { CompactEncrypt, importJWK, type JWK } from 'jose'
import type { CardPayload } from '../../widget/frame/encrypt.js'
import { luhnCheckDigit } from '../../common/card-rules.js'

/** The frame's JWE plaintext, plus room for the hostile extra fields tests send. */
export type CardFields = CardPayload & { [extra: string]: unknown }

export async function fetchJwks(vaultUrl: string): Promise<{ keys: (JWK & { kid: string })[] }> {
  const res = await fetch(`${vaultUrl}/v1/jwks`)
  return (await res.json()) as { keys: (JWK & { kid: string })[] }
}

export function cardFields(overrides: Partial<CardFields> = {}): CardFields {
  return {
    number: '4242424242424242',
    exp_month: 12,
    exp_year: new Date().getUTCFullYear() + 3,
    cvc: '123',
    name: 'PAUL SMITH',
    iat: Math.floor(Date.now() / 1000),
    jti: crypto.randomUUID(),
    ...overrides,
  }
}

export interface EncryptOptions {
  alg?: string
  enc?: string
  kid?: string
  jwk?: JWK & { kid: string }
}

/** Encrypts any JSON-able payload (or raw text) as the frame would. */
export async function encryptPayload(vaultUrl: string, payload: unknown, options: EncryptOptions = {}): Promise<string> {
  const jwk = options.jwk ?? (await fetchJwks(vaultUrl)).keys[0]
  if (!jwk) throw new Error('vault has no JWE key')
  const key = await importJWK(jwk, 'ECDH-ES')
  const text = typeof payload === 'string' ? payload : JSON.stringify(payload)
  return new CompactEncrypt(new TextEncoder().encode(text))
    .setProtectedHeader({ alg: options.alg ?? 'ECDH-ES', enc: options.enc ?? 'A256GCM', kid: options.kid ?? jwk.kid })
    .encrypt(key)
}

export async function encryptCard(vaultUrl: string, overrides: Partial<CardFields> = {}, options: EncryptOptions = {}): Promise<string> {
  return encryptPayload(vaultUrl, cardFields(overrides), options)
}

/** A Luhn-valid number of the given prefix and length that is not a documented test card. */
export function liveCardNumber(prefix = '4', length = 16): string {
  let partial = prefix
  while (partial.length < length - 1) partial += crypto.randomInt(10)
  return partial + luhnCheckDigit(partial)
}
