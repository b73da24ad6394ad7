import { compactDecrypt, exportJWK, generateKeyPair } from 'jose'
import { describe, expect, it } from 'vitest'
import { buildPayload, encryptCard, type EncryptionKey } from '../../../widget/frame/encrypt.js'
import { emptyValues } from '../../../widget/frame/card-state.js'
import { tokenizeCard } from '../../../widget/frame/tokenize.js'
import { VaultError, type SavedCard } from '../../../widget/frame/vault-client.js'

const NOW = new Date('2026-11-23T12:00:00Z')
const VALUES = { ...emptyValues(), number: '4242 4242 4242 4242', expiry: '12 / 30', cvc: '123', name: '  Ana Pop ' }

async function keyPair(kid: string) {
  const { publicKey, privateKey } = await generateKeyPair('ECDH-ES', { crv: 'P-256', extractable: true })
  const jwk = { ...(await exportJWK(publicKey)), kid } as EncryptionKey
  return { jwk, privateKey }
}

describe('the JWE payload', () => {
  it('holds exactly the fields DESIGN.md names', () => {
    expect(buildPayload(VALUES, NOW, 'j1')).toEqual({
      number: '4242424242424242',
      exp_month: 12,
      exp_year: 2030,
      cvc: '123',
      name: 'Ana Pop',
      iat: Math.floor(NOW.getTime() / 1000),
      jti: 'j1',
    })
  })

  it('leaves out an empty CVC and an empty name', () => {
    expect(buildPayload({ ...VALUES, cvc: '', name: ' ' }, NOW, 'j2')).not.toHaveProperty('cvc')
    expect(buildPayload({ ...VALUES, cvc: '', name: ' ' }, NOW, 'j2')).not.toHaveProperty('name')
  })

  it('is encrypted as a compact JWE the private key opens, with ECDH-ES, A256GCM and the kid', async () => {
    const { jwk, privateKey } = await keyPair('key-1')
    const jwe = await encryptCard(buildPayload(VALUES, NOW, 'j3'), jwk)
    expect(jwe.split('.')).toHaveLength(5)
    expect(jwe).not.toContain('4242424242424242')
    const { plaintext, protectedHeader } = await compactDecrypt(jwe, privateKey)
    expect(protectedHeader).toMatchObject({ alg: 'ECDH-ES', enc: 'A256GCM', kid: 'key-1' })
    expect(JSON.parse(new TextDecoder().decode(plaintext))).toMatchObject({ number: '4242424242424242', jti: 'j3' })
  })
})

describe('tokenizeCard', () => {
  const saved: SavedCard = { token: 'tok_1', card: { brand: 'visa', last4: '4242', exp_month: 12, exp_year: 2030 } }
  const encryptionError = new VaultError({ type: 'invalid_request_error', code: 'invalid_card_encryption', message: 'The card could not be decrypted.' })

  async function fakeVault(answers: (SavedCard | VaultError)[]) {
    const keys = [await keyPair('old'), await keyPair('new')]
    const calls: { refresh: boolean[]; kids: string[]; jtis: string[] } = { refresh: [], kids: [], jtis: [] }
    let jti = 0
    const client = {
      encryptionKey: async (refresh = false) => {
        calls.refresh.push(refresh)
        return (refresh ? keys[1] : keys[0])!.jwk
      },
      createToken: async (jwe: string) => {
        calls.kids.push(JSON.parse(Buffer.from(jwe.split('.')[0]!, 'base64url').toString()).kid)
        const answer = answers.shift()!
        if (answer instanceof VaultError) throw answer
        return answer
      },
    }
    return { calls, deps: { client, now: () => NOW, newJti: () => { const id = `jti-${++jti}`; calls.jtis.push(id); return id } } }
  }

  it('creates the token with the active key', async () => {
    const { calls, deps } = await fakeVault([saved])
    await expect(tokenizeCard(deps, VALUES, 'cs_test_secret')).resolves.toEqual(saved)
    expect(calls.kids).toEqual(['old'])
  })

  it('fetches the keys again once when the vault no longer holds the key, with a fresh jti', async () => {
    const { calls, deps } = await fakeVault([encryptionError, saved])
    await expect(tokenizeCard(deps, VALUES, null)).resolves.toEqual(saved)
    expect(calls.refresh).toEqual([false, true])
    expect(calls.kids).toEqual(['old', 'new'])
    expect(calls.jtis).toEqual(['jti-1', 'jti-2'])
  })

  it('gives up after one retry, and does not retry other errors', async () => {
    const twice = await fakeVault([encryptionError, encryptionError])
    await expect(tokenizeCard(twice.deps, VALUES, null)).rejects.toBe(encryptionError)
    const declined = new VaultError({ type: 'card_error', code: 'invalid_number', message: 'bad' })
    const once = await fakeVault([declined])
    await expect(tokenizeCard(once.deps, VALUES, null)).rejects.toBe(declined)
    expect(once.calls.kids).toHaveLength(1)
  })
})
