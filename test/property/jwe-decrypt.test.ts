// The card JWE decrypter on node:crypto (backend/crypto/jwe-decrypt.ts) held to jose, the
// reference: whatever jose encrypts it opens to the same bytes; on generated headers and
// damaged parts it accepts only what jose accepts, with the same plaintext, and refuses what
// jose refuses (stricter only where it says so: `zip`, `key_ops`/`ext` in the epk, coordinates
// shorter than 32 bytes).
import crypto from 'node:crypto'
import fc from 'fast-check'
import { CompactEncrypt, compactDecrypt, exportJWK, generateKeyPair, importJWK, type JWK } from 'jose'
import { beforeAll, describe, expect, it } from 'vitest'
import { concatKdf, decryptCompact, ecdhKey, JweRefusal, parseCompact } from '../../backend/crypto/jwe-decrypt.js'

const RUNS = Number(process.env.TESSERA_FUZZ_RUNS ?? 150)
const JOSE_OPTIONS = { keyManagementAlgorithms: ['ECDH-ES'], contentEncryptionAlgorithms: ['A256GCM'] }
const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64url')

let recipient: { jwk: JWK; publicKey: CryptoKey; privateKey: CryptoKey; ecdh: crypto.ECDH }
let other: crypto.ECDH

beforeAll(async () => {
  const pair = await generateKeyPair('ECDH-ES', { crv: 'P-256', extractable: true })
  const jwk = await exportJWK(pair.privateKey)
  recipient = { jwk, publicKey: pair.publicKey as CryptoKey, privateKey: (await importJWK(jwk, 'ECDH-ES')) as CryptoKey, ecdh: ecdhKey(jwk.d as string) }
  other = ecdhKey((await exportJWK((await generateKeyPair('ECDH-ES', { crv: 'P-256', extractable: true })).privateKey)).d as string)
})

type Outcome = { ok: true; plaintext: string } | { ok: false }

function ours(jwe: string, key = recipient.ecdh): Outcome {
  try {
    return { ok: true, plaintext: b64(decryptCompact(parseCompact(jwe), key)) }
  } catch (error) {
    expect(error).toBeInstanceOf(JweRefusal)
    return { ok: false }
  }
}

async function jose(jwe: string): Promise<Outcome> {
  try {
    return { ok: true, plaintext: b64((await compactDecrypt(jwe, recipient.privateKey, JOSE_OPTIONS)).plaintext) }
  } catch {
    return { ok: false }
  }
}

/** A hand-made JWE whose header can be anything: the epk is made, then `shapeEpk` may change it. */
function handMade(plaintext: Uint8Array, header: Record<string, unknown>, shapeEpk: (epk: JWK) => unknown, ivBytes = 12): string {
  const eph = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' })
  const epk = eph.publicKey.export({ format: 'jwk' }) as JWK
  const z = crypto.diffieHellman({ privateKey: eph.privateKey, publicKey: crypto.createPublicKey({ key: recipient.jwk as crypto.JsonWebKey, format: 'jwk' }) })
  const party = (v: unknown) => (typeof v === 'string' ? Buffer.from(v, 'base64url') : Buffer.alloc(0))
  const cek = concatKdf(z, party(header.apu), party(header.apv))
  const encodedHeader = b64(Buffer.from(JSON.stringify({ ...header, epk: shapeEpk({ kty: epk.kty, crv: epk.crv, x: epk.x, y: epk.y }) })))
  const iv = crypto.randomBytes(ivBytes)
  const cipher = crypto.createCipheriv('aes-256-gcm', cek, iv.length === 12 ? iv : crypto.randomBytes(12)).setAAD(Buffer.from(encodedHeader, 'ascii'))
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()])
  return [encodedHeader, '', b64(iv), b64(ciphertext), b64(cipher.getAuthTag())].join('.')
}

const notOnCurve = (epk: JWK) => ({ ...epk, y: b64(Buffer.from(Buffer.from(epk.y as string, 'base64url').map((byte, i) => (i === 31 ? byte ^ 1 : byte)))) })
const epkShapes: [string, (epk: JWK) => unknown][] = [
  ['as made', (epk) => epk],
  ['with a kid', (epk) => ({ ...epk, kid: 'e' })],
  ['not on the curve', notOnCurve],
  ['another curve name', (epk) => ({ ...epk, crv: 'P-384' })],
  ['an OKP key', (epk) => ({ ...epk, kty: 'OKP' })],
  ['no y', (epk) => ({ ...epk, y: undefined })],
  ['a short x', (epk) => ({ ...epk, x: b64(Buffer.from(epk.x as string, 'base64url').subarray(1)) })],
  ['a private member', (epk) => ({ ...epk, d: epk.x })],
  ['key_ops', (epk) => ({ ...epk, key_ops: [] })],
  ['not an object', () => 'epk'],
  ['missing', () => undefined],
]

/** A good header, then at most one member changed or added (each refusal reachable alone). */
const goodHeader = fc.record({ alg: fc.constant('ECDH-ES'), enc: fc.constant('A256GCM'), kid: fc.string({ maxLength: 8 }), apv: fc.uint8Array({ minLength: 1, maxLength: 8 }).map(b64) }, { requiredKeys: ['alg', 'enc'] })
const change = fc.oneof(
  { arbitrary: fc.constant({}), weight: 4 },
  fc.record({ alg: fc.constantFrom('ECDH-ES+A256KW', 'dir', 'ecdh-es', '', 7) }),
  fc.record({ enc: fc.constantFrom('A128GCM', 'A256CBC-HS512', 'a256gcm', 42) }),
  fc.record({ apu: fc.oneof(fc.uint8Array({ maxLength: 8 }).map(b64), fc.constantFrom('not base64!', 7, null)) }),
  fc.record({ crit: fc.constantFrom(['exp'], [], 'exp', ['']) }),
  fc.record({ zip: fc.constantFrom('DEF', 'GZ') }),
  fc.record({ typ: fc.constantFrom('JWE', 1), cty: fc.constant('json') }),
  fc.record({ kid: fc.constantFrom(1, null) }),
  fc.constant({ sameParties: true }),
)
const header = fc.tuple(goodHeader, change).map(([good, changed]) => {
  if (!('sameParties' in changed)) return { ...good, ...changed } as Record<string, unknown>
  return { ...good, apu: good.apv ?? 'AQ', apv: good.apv ?? 'AQ' } as Record<string, unknown>
})
const epkShape = fc.oneof({ arbitrary: fc.constant(0), weight: 3 }, { arbitrary: fc.integer({ min: 0, max: epkShapes.length - 1 }), weight: 2 })

/** Damage to one part of the compact form. */
const damage = fc.oneof(
  { arbitrary: fc.constant((jwe: string) => jwe), weight: 4 },
  fc.record({ part: fc.integer({ min: 0, max: 4 }), at: fc.nat(), ch: fc.constantFrom(...'AZaz09-_.=+/ ') }).map(({ part, at, ch }) => (jwe: string) => {
    const parts = jwe.split('.')
    const p = parts[part] ?? ''
    const i = p.length === 0 ? 0 : at % p.length
    parts[part] = p.slice(0, i) + ch + p.slice(i + 1)
    return parts.join('.')
  }),
  fc.integer({ min: 1, max: 12 }).map((n) => (jwe: string) => jwe.slice(0, -n)),
  fc.constant((jwe: string) => jwe + '.'),
  fc.constant((jwe: string) => jwe.replace('..', '.AAAA.')),
)

describe('the node:crypto JWE decrypter against jose', () => {
  it('opens what jose encrypts, to the same bytes (any plaintext, kid, apu/apv)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 300 }), fc.option(fc.uint8Array({ minLength: 1, maxLength: 16 })), fc.option(fc.uint8Array({ minLength: 1, maxLength: 16 })), async (plaintext, apu, apv) => {
        const encrypt = new CompactEncrypt(plaintext).setProtectedHeader({ alg: 'ECDH-ES', enc: 'A256GCM', kid: 'k1' })
        if (apu || apv) encrypt.setKeyManagementParameters({ ...(apu ? { apu } : {}), ...(apv ? { apv } : {}) })
        let jwe: string
        try {
          jwe = await encrypt.encrypt(recipient.publicKey)
        } catch {
          return // jose refuses to encrypt equal apu and apv
        }
        expect(ours(jwe)).toEqual({ ok: true, plaintext: b64(plaintext) })
        expect(await jose(jwe)).toEqual({ ok: true, plaintext: b64(plaintext) })
      }),
      { numRuns: RUNS },
    )
  })

  it('accepts only what jose accepts, with the same plaintext, on generated headers, epks and damaged parts', async () => {
    let accepted = 0
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 64 }), header, epkShape, fc.constantFrom(12, 12, 12, 8, 16), damage, async (plaintext, h, shape, ivBytes, damageIt) => {
        const [, shapeEpk] = epkShapes[shape] as [string, (epk: JWK) => unknown]
        const jwe = damageIt(handMade(plaintext, h, shapeEpk, ivBytes))
        const [mine, theirs] = [ours(jwe), await jose(jwe)]
        if (mine.ok) {
          accepted++
          expect(theirs).toEqual(mine)
        } else if (theirs.ok) {
          // Stricter than jose only where documented.
          const parsed = JSON.parse(Buffer.from(jwe.split('.')[0] as string, 'base64url').toString()) as { zip?: unknown; epk?: Record<string, unknown> }
          // A coordinate shorter than 32 bytes: RFC 7518 6.2.1.2 wants the full length; jose (through
          // node's WebCrypto) takes a short x when the byte left out was a leading zero (1 in 256).
          const shortCoordinate = ['x', 'y'].some((c) => typeof parsed.epk?.[c] === 'string' && Buffer.from(parsed.epk[c] as string, 'base64url').length !== 32)
          expect(parsed.zip !== undefined || Object.hasOwn(parsed.epk ?? {}, 'key_ops') || shortCoordinate || /[=+/ ]/.test(jwe), jwe).toBe(true)
        }
      }),
      { numRuns: RUNS * 4 },
    )
    expect(accepted).toBeGreaterThan(0)
  })

  it('refuses each thing jose refuses: alg, enc, curve, a point off the curve, a bad tag, the wrong key, malformed forms', async () => {
    const good = await new CompactEncrypt(Buffer.from('{"number":"4242424242424242"}')).setProtectedHeader({ alg: 'ECDH-ES', enc: 'A256GCM', kid: 'k1' }).encrypt(recipient.publicKey)
    const [h, , iv, ct, tag] = good.split('.') as [string, string, string, string, string]
    const flip = (s: string) => s.slice(0, -2) + (s.at(-2) === 'A' ? 'B' : 'A') + s.slice(-1)
    const plain = Buffer.from('x')
    const cases: [string, string][] = [
      ['another alg', handMade(plain, { alg: 'ECDH-ES+A256KW', enc: 'A256GCM' }, (e) => e)],
      ['another enc', handMade(plain, { alg: 'ECDH-ES', enc: 'A128GCM' }, (e) => e)],
      ['another curve', handMade(plain, { alg: 'ECDH-ES', enc: 'A256GCM' }, (e) => ({ ...e, crv: 'P-384' }))],
      ['a point off the curve', handMade(plain, { alg: 'ECDH-ES', enc: 'A256GCM' }, notOnCurve)],
      ['a bad tag', [h, '', iv, ct, flip(tag)].join('.')],
      ['tampered ciphertext', [h, '', iv, flip(ct), tag].join('.')],
      ['an encrypted key', [h, 'AAAA', iv, ct, tag].join('.')],
      ['four parts', [h, '', iv, ct].join('.')],
      ['no JWE at all', 'hello'],
      ['a header that is no JSON', [b64(Buffer.from('{nope')), '', iv, ct, tag].join('.')],
    ]
    for (const [name, jwe] of cases) {
      expect(ours(jwe), name).toEqual({ ok: false })
      expect(await jose(jwe), name).toEqual({ ok: false })
    }
    expect(ours(good, other)).toEqual({ ok: false })
    expect(ours(good)).toEqual({ ok: true, plaintext: b64(Buffer.from('{"number":"4242424242424242"}')) })
  })
})
