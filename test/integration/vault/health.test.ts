// GET /health/live and /health/ready on a real vault: live while it serves; ready when the
// database answers and the master key unwraps the stored keys, else 503 naming the check (and
// nothing secret). The database-outage side is in test/integration/resilience/.
import crypto from 'node:crypto'
import { afterAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../../../backend/config.js'
import type { KeySource } from '../../../backend/crypto/key-source.js'
import { localKeySource } from '../../../backend/crypto/master-key.js'
import { api } from '../../helpers/api.js'
import { startVault, tempDir, type TestVault } from '../../helpers/vault.js'

const vaults: TestVault[] = []
afterAll(async () => {
  await Promise.all(vaults.map((v) => v.close()))
})

const key = () => crypto.randomBytes(32).toString('base64')

describe('health endpoints', () => {
  it('answers live and ready, uncached, without a key; other methods are 405', async () => {
    const vault = await startVault()
    vaults.push(vault)
    const call = api(vault.url)
    const live = await call('GET', '/health/live')
    expect([live.status, live.body]).toEqual([200, { status: 'live' }])
    expect(live.headers.get('cache-control')).toBe('no-store')
    const ready = await call('GET', '/health/ready')
    expect([ready.status, ready.body]).toEqual([200, { status: 'ready', checks: { database: 'ok', master_key: 'ok' } }])
    expect(ready.headers.get('cache-control')).toBe('no-store')
    expect((await call('POST', '/health/ready')).status).toBe(405)
  })

  it('is not ready when the master key no longer unwraps the stored keys (a KMS that lost access), and says only that', async () => {
    const dataDir = tempDir()
    const secret = key()
    const local = localKeySource(loadConfig({ TESSERA_MASTER_KEY: secret }, { dataDir }))
    let lost = false
    // A key source that works at start (the start-up self-check passes), then loses access.
    const keySource: KeySource = {
      get currentKeyId() {
        return local.currentKeyId
      },
      wrap: (plaintext, context) => local.wrap(plaintext, context),
      unwrap: async (wrapped, context) => {
        if (lost) throw new Error('AccessDeniedException: the key source refused to unwrap')
        return local.unwrap(wrapped, context)
      },
      keyIdOf: (wrapped) => local.keyIdOf(wrapped),
    }
    const vault = await startVault({ dataDir, keySource })
    vaults.push(vault)
    const call = api(vault.url)
    expect((await call('GET', '/health/ready')).status).toBe(200)
    lost = true
    const ready = await call('GET', '/health/ready')
    expect([ready.status, ready.body]).toEqual([503, { status: 'not_ready', checks: { database: 'ok', master_key: 'unavailable' } }])
    expect(JSON.stringify(ready.body)).not.toContain(secret)
    expect((await call('GET', '/health/live')).status).toBe(200)
    lost = false
    expect((await call('GET', '/health/ready')).status).toBe(200)
  })
})
