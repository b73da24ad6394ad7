// The webhook key ring and signer against verifyWebhook, with keys held locally (no network).
import crypto from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { ManualClock } from '../../../backend/clock.js'
import type { JweKeyRecord, JweKeyStore } from '../../../backend/crypto/jwe-keys.js'
import { LocalKeySource, masterKeyFrom } from '../../../backend/crypto/local-key-source.js'
import { signWebhook } from '../../../backend/events/signer.js'
import { WebhookKeyRing } from '../../../backend/events/signing-keys.js'
import { verifyWebhook } from '../../../packages/node/index.js'

function memoryStore(): JweKeyStore & { records: JweKeyRecord[] } {
  const records: JweKeyRecord[] = []
  return {
    records,
    list: async () => records.filter((r) => r.status !== 'retired').map((r) => ({ ...r })),
    insert: async (r) => void records.push({ ...r }),
    rotate: async (r, _m, retiresAt) => {
      for (const x of records) if (x.status === 'active') Object.assign(x, { status: 'retiring', retiresAt })
      records.push({ ...r })
    },
    retire: async (kids) => {
      for (const x of records) if (kids.includes(x.kid)) x.status = 'retired'
    },
  }
}

const DAY = 24 * 3600_000
const clock = new ManualClock('2030-01-01T00:00:00Z')
const keySource = new LocalKeySource([masterKeyFrom(crypto.randomBytes(32))])
const body = JSON.stringify({ object: 'event', id: 'evt_1', type: 'token.created', created_at: '2030-01-01T00:00:00.000Z', data: { object: { object: 'token' } }, mode: 'test' })

describe('webhook signing keys', () => {
  it('stores only wrapped private keys and publishes ES256 public keys', async () => {
    const store = memoryStore()
    const ring = new WebhookKeyRing(store, keySource, clock)
    await ring.init()
    expect(store.records).toHaveLength(1)
    expect(store.records[0]?.privateWrapped).toMatch(/^mk1\./)
    expect(JSON.stringify(store.records[0]?.publicJwk)).not.toContain('"d"')
    const { keys } = await ring.jwks()
    expect(keys).toEqual([expect.objectContaining({ kty: 'EC', crv: 'P-256', use: 'sig', alg: 'ES256', kid: store.records[0]?.kid })])
  })

  it('signs a detached JWS that verifies over the exact body, for the project and time it names', async () => {
    const ring = new WebhookKeyRing(memoryStore(), keySource, clock)
    await ring.init()
    const jwks = await ring.jwks()
    const signature = await signWebhook(body, await ring.signingKey(), { projectId: 'proj_a', at: clock.now() })
    expect(signature).toMatch(/^[\w-]+\.\.[\w-]+$/)
    const options = { project: 'proj_a', now: clock.now() }
    expect((await verifyWebhook(body, signature, jwks, options)).id).toBe('evt_1')
    expect((await verifyWebhook(new TextEncoder().encode(body), signature, jwks, options)).id).toBe('evt_1')
    await expect(verifyWebhook(body + ' ', signature, jwks, options)).rejects.toMatchObject({ reason: 'signature_invalid' })
    await expect(verifyWebhook(body, signature, jwks, { ...options, project: 'proj_b' })).rejects.toMatchObject({ reason: 'wrong_project' })
    await expect(verifyWebhook(body, signature, jwks, { ...options, now: new Date(clock.now().getTime() + 301_000) })).rejects.toMatchObject({ reason: 'signature_stale' })
    expect((await verifyWebhook(body, signature, jwks, { ...options, now: new Date(clock.now().getTime() + DAY), toleranceSeconds: null })).id).toBe('evt_1')
    const stranger = new WebhookKeyRing(memoryStore(), keySource, clock)
    await stranger.init()
    await expect(verifyWebhook(body, signature, await stranger.jwks(), options)).rejects.toMatchObject({ reason: 'signature_invalid' })
  })

  it('signs with the new key after a rotation and keeps the old one published for the grace period', async () => {
    const ring = new WebhookKeyRing(memoryStore(), keySource, clock, { gracePeriodMs: DAY, refreshMs: 1000 })
    await ring.init()
    const old = (await ring.signingKey()).kid
    const oldSignature = await signWebhook(body, await ring.signingKey(), { projectId: 'proj_a', at: clock.now() })
    const fresh = await ring.rotate()
    expect((await ring.signingKey()).kid).toBe(fresh)
    expect((await ring.jwks()).keys.map((k) => k.kid)).toEqual([fresh, old])
    expect((await verifyWebhook(body, oldSignature, await ring.jwks(), { toleranceSeconds: null })).id).toBe('evt_1')
    clock.advance(DAY + 1000)
    expect((await ring.jwks()).keys.map((k) => k.kid)).toEqual([fresh])
    await expect(verifyWebhook(body, oldSignature, await ring.jwks(), { toleranceSeconds: null })).rejects.toMatchObject({ reason: 'signature_invalid' })
  })
})
