// Decrypts the card JWE (compact ECDH-ES + A256GCM on P-256) on node:crypto: ECDH through
// OpenSSL's ECDH (the point is checked to be on the curve), the Concat KDF of RFC 7518 §4.6
// with SHA-256, and AES-256-GCM, whose tag GCM checks itself. It measured several times faster
// than jose's WebCrypto path on this stack (docs/performance.md). jose stays the encryptor and
// the reference: test/property/jwe-decrypt.test.ts holds every answer of this to jose's. It is
// stricter than jose in two places, on purpose: no `zip` (compressed secrets) and no
// `key_ops`/`ext` in the ephemeral key; padding and whitespace in a part are refused too.
import crypto from 'node:crypto'

export const JWE_ALG = 'ECDH-ES'
export const JWE_ENC = 'A256GCM'

/** Why a JWE was refused: for the log line only; the caller answers every refusal alike. */
export class JweRefusal extends Error {}

const B64URL = /^[A-Za-z0-9_-]*$/
const PRIVATE_JWK_MEMBERS = ['d', 'k', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'priv', 'key_ops', 'ext']
const utf8 = new TextDecoder('utf-8', { fatal: true })
const ENC_ID = Buffer.from(JWE_ENC, 'ascii')

function b64(part: string, what: string): Buffer {
  if (!B64URL.test(part) || part.length % 4 === 1) throw new JweRefusal(`${what} is not base64url`)
  return Buffer.from(part, 'base64url')
}

const isPlainObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && Object.getPrototypeOf(x) === Object.prototype

export interface CompactJwe {
  header: Record<string, unknown>
  /** The protected header as sent: the AAD. */
  encodedHeader: string
  iv: string
  ciphertext: string
  tag: string
}

/** Splits a compact JWE and parses its protected header (for the kid), checking the form. */
export function parseCompact(compact: string): CompactJwe {
  const parts = compact.split('.')
  if (parts.length !== 5) throw new JweRefusal('not five parts')
  const [encodedHeader, encryptedKey, iv, ciphertext, tag] = parts as [string, string, string, string, string]
  let header: unknown
  try {
    header = JSON.parse(utf8.decode(b64(encodedHeader, 'header')))
  } catch {
    throw new JweRefusal('malformed protected header')
  }
  if (!isPlainObject(header)) throw new JweRefusal('protected header is not an object')
  if (encryptedKey !== '') throw new JweRefusal('unexpected encrypted key')
  return { header, encodedHeader, iv, ciphertext, tag }
}

function partyInfo(header: Record<string, unknown>, name: 'apu' | 'apv'): Buffer {
  const value = header[name]
  if (value === undefined) return Buffer.alloc(0)
  if (typeof value !== 'string') throw new JweRefusal(`${name} is not a string`)
  return b64(value, name)
}

const lengthPrefixed = (b: Buffer) => {
  const out = Buffer.allocUnsafe(4 + b.length)
  out.writeUInt32BE(b.length, 0)
  b.copy(out, 4)
  return out
}

/** RFC 7518 §4.6.2 Concat KDF with SHA-256 for a 256-bit key (one round). */
export function concatKdf(z: Buffer, apu: Buffer, apv: Buffer): Buffer {
  return crypto
    .createHash('sha256')
    .update(Buffer.from([0, 0, 0, 1]))
    .update(z)
    .update(lengthPrefixed(ENC_ID))
    .update(lengthPrefixed(apu))
    .update(lengthPrefixed(apv))
    .update(Buffer.from([0, 0, 1, 0]))
    .digest()
}

function ephemeralPoint(epk: unknown): Buffer {
  if (!isPlainObject(epk) || PRIVATE_JWK_MEMBERS.some((m) => Object.hasOwn(epk, m))) throw new JweRefusal('epk missing or invalid')
  if (epk.kty !== 'EC' || epk.crv !== 'P-256' || typeof epk.x !== 'string' || typeof epk.y !== 'string') throw new JweRefusal('epk is not a P-256 key')
  const x = b64(epk.x, 'epk.x')
  const y = b64(epk.y, 'epk.y')
  if (x.length !== 32 || y.length !== 32) throw new JweRefusal('epk coordinates have the wrong length')
  return Buffer.concat([Buffer.from([4]), x, y])
}

/** A P-256 private key ready for ECDH (`d` is the JWK's private scalar, base64url). */
export function ecdhKey(d: string): crypto.ECDH {
  const ecdh = crypto.createECDH('prime256v1')
  ecdh.setPrivateKey(Buffer.from(d, 'base64url'))
  return ecdh
}

/** Decrypts a parsed compact JWE with the recipient's key; throws JweRefusal on anything jose would refuse. */
export function decryptCompact(jwe: CompactJwe, key: crypto.ECDH): Uint8Array {
  const { header } = jwe
  if (header.crit !== undefined) throw new JweRefusal('crit is not supported')
  if (header.zip !== undefined) throw new JweRefusal('zip is not supported')
  // The reasons name no value the client wrote: they are logged.
  if (header.alg !== JWE_ALG) throw new JweRefusal("disallowed alg (not the vault's)")
  if (header.enc !== JWE_ENC) throw new JweRefusal("disallowed enc (not the vault's)")
  const point = ephemeralPoint(header.epk)
  const apu = partyInfo(header, 'apu')
  const apv = partyInfo(header, 'apv')
  if (header.apu !== undefined && header.apv !== undefined && apu.equals(apv)) throw new JweRefusal('apu and apv must be distinct')
  const iv = b64(jwe.iv, 'iv')
  const tag = b64(jwe.tag, 'tag')
  if (iv.length !== 12) throw new JweRefusal('iv length')
  if (tag.length !== 16) throw new JweRefusal('tag length')
  const ciphertext = b64(jwe.ciphertext, 'ciphertext')
  let z: Buffer
  try {
    z = key.computeSecret(point)
  } catch {
    throw new JweRefusal('epk is not a point on P-256')
  }
  try {
    const decipher = crypto.createDecipheriv('aes-256-gcm', concatKdf(z, apu, apv), iv, { authTagLength: 16 })
    decipher.setAAD(Buffer.from(jwe.encodedHeader, 'ascii'))
    decipher.setAuthTag(tag)
    return Buffer.concat([decipher.update(ciphertext), decipher.final()])
  } catch {
    throw new JweRefusal('decryption failed')
  }
}
