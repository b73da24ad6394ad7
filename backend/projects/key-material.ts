// API key strings: random base62 bodies behind a kind and mode prefix, stored as a SHA-256 only.
import crypto from 'node:crypto'
import type { Mode } from '../store/schema.js'
import type { KeyKind } from './project.js'

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'

export function randomBase62(length: number): string {
  let out = ''
  while (out.length < length) {
    for (const byte of crypto.randomBytes(length)) {
      // Rejection sampling keeps the characters uniform.
      if (byte < 248 && out.length < length) out += BASE62[byte % 62]
    }
  }
  return out
}

// crypto.hash is the one-shot digest (Node 20.12; package.json allows 20.11): the same hex
// without a Hash object per request, on every authenticated request's path.
/** SHA-256 of the whole key: keys are 190-bit random strings, so a fast hash suffices. */
export const hashApiKey: (key: string) => string =
  typeof crypto.hash === 'function' ? (key) => crypto.hash('sha256', key, 'hex') : (key) => crypto.createHash('sha256').update(key).digest('hex')

export const KEY_PREFIXES: Record<KeyKind, string> = { publishable: 'pk', secret: 'sk', restricted: 'rk' }

export const API_KEY_SHAPE = /^(pk|sk|rk)_(test|live)_[0-9A-Za-z]{32}$/
export const ADMIN_KEY_SHAPE = /^ak_[0-9A-Za-z]{40}$/

export interface NewKey {
  secret: string
  hash: string
  /** What lists show to tell keys apart: the first twelve and the last four characters. */
  prefix: string
  last4: string
}

function describe(secret: string): NewKey {
  return { secret, hash: hashApiKey(secret), prefix: secret.slice(0, 12), last4: secret.slice(-4) }
}

export const newApiKey = (kind: KeyKind, mode: Mode): NewKey => describe(`${KEY_PREFIXES[kind]}_${mode}_${randomBase62(32)}`)

export const newAdminKey = (): NewKey => describe(`ak_${randomBase62(40)}`)

export const newId = (prefix: string) => `${prefix}_${randomBase62(16)}`
