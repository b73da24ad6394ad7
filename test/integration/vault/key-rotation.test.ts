// JWE key rotation: the previous key keeps decrypting for the grace period, then retires.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ManualClock } from '../../../backend/clock.js'
import type { Api } from '../../helpers/api.js'
import { encryptCard, fetchJwks } from '../../helpers/cards.js'
import { startVaultWithProject, type TestProjectKeys, type TestVault } from '../../helpers/vault.js'

const clock = new ManualClock('2026-06-01T12:00:00Z')
const HOUR = 3600_000
let vault: TestVault
let call: Api
let keys: TestProjectKeys

beforeAll(async () => ({ vault, call, keys } = await startVaultWithProject({ clock, jweKeys: { gracePeriodMs: 24 * HOUR, refreshMs: 1000 } })))
afterAll(() => vault.close())

const iat = () => Math.floor(clock.now().getTime() / 1000)
const tokenize = async (jwk: Awaited<ReturnType<typeof fetchJwks>>['keys'][number]) =>
  call('POST', '/v1/tokens', { key: keys.test.publishable_key, body: { card: await encryptCard(vault.url, { iat: iat() }, { jwk }) } })

describe('JWE key rotation', () => {
  it('serves the new key first, keeps the old one decrypting during the grace period, then retires it', async () => {
    const [oldKey] = (await fetchJwks(vault.url)).keys
    if (!oldKey) throw new Error('no key')
    clock.advance(1000)
    const newKid = await vault.running.vault.keyRing.rotate()
    const jwks = (await fetchJwks(vault.url)).keys
    expect(jwks.map((k) => k.kid)).toEqual([newKid, oldKey.kid])
    for (const k of jwks) expect(k).toMatchObject({ kty: 'EC', crv: 'P-256', use: 'enc', alg: 'ECDH-ES' })
    expect(jwks.some((k) => 'd' in k)).toBe(false)

    expect((await tokenize(oldKey)).status).toBe(201)
    expect((await tokenize(jwks[0] as typeof oldKey)).status).toBe(201)

    clock.advance(23 * HOUR)
    expect((await tokenize(oldKey)).status).toBe(201)

    clock.advance(2 * HOUR)
    const late = await tokenize(oldKey)
    expect([late.status, late.body.error.code]).toEqual([400, 'invalid_card_encryption'])
    expect((await fetchJwks(vault.url)).keys.map((k) => k.kid)).toEqual([newKid])
    const status = await vault.running.vault.store.db.selectFrom('jwe_keys').select(['kid', 'status']).orderBy('created_at').execute()
    expect(status).toEqual([
      { kid: oldKey.kid, status: 'retired' },
      { kid: newKid, status: 'active' },
    ])
  })
})
