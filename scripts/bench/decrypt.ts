// The card JWE decrypt alone, in-process: node:crypto (backend/crypto/jwe-decrypt.ts, what the
// vault uses) against jose's WebCrypto path (compactDecrypt), serially and 32 in flight.
import crypto from 'node:crypto'
import { CompactEncrypt, compactDecrypt, exportJWK, generateKeyPair } from 'jose'
import { decryptCompact, ecdhKey, parseCompact } from '../../backend/crypto/jwe-decrypt.js'

export interface DecryptRates {
  node: number
  jose: number
  jose32: number
}

export async function decryptRates(count: number): Promise<DecryptRates> {
  const { publicKey, privateKey } = await generateKeyPair('ECDH-ES', { crv: 'P-256', extractable: true })
  const ecdh = ecdhKey((await exportJWK(privateKey)).d as string)
  const jwes: string[] = []
  for (let i = 0; i < count; i++) {
    const payload = { number: '4242424242424242', exp_month: 12, exp_year: 2030, cvc: '123', iat: 0, jti: crypto.randomUUID() }
    jwes.push(await new CompactEncrypt(Buffer.from(JSON.stringify(payload))).setProtectedHeader({ alg: 'ECDH-ES', enc: 'A256GCM', kid: 'k' }).encrypt(publicKey))
  }
  const options = { keyManagementAlgorithms: ['ECDH-ES'], contentEncryptionAlgorithms: ['A256GCM'] }
  const rate = (started: number) => Math.round(count / ((performance.now() - started) / 1000))
  let started = performance.now()
  for (const jwe of jwes) decryptCompact(parseCompact(jwe), ecdh)
  const node = rate(started)
  started = performance.now()
  for (const jwe of jwes) await compactDecrypt(jwe, privateKey, options)
  const jose = rate(started)
  let next = 0
  started = performance.now()
  await Promise.all(Array.from({ length: 32 }, async () => {
    while (next < jwes.length) await compactDecrypt(jwes[next++] as string, privateKey, options)
  }))
  return { node, jose, jose32: rate(started) }
}
