// GET /health/live and /health/ready on a real vault: live while it serves; ready when the
// database answers and the master key unwraps the stored keys, else 503 naming the check (and
// nothing secret). The database-outage side is in test/integration/resilience/.
import crypto from 'node:crypto'
import { afterAll, describe, expect, it } from 'vitest'
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

  it('is not ready when the master key does not unwrap the stored keys, and says only that', async () => {
    const dataDir = tempDir()
    const first = await startVault({ dataDir, keySource: localKeySource({ TESSERA_MASTER_KEY: key() }, dataDir) })
    const databaseUrl = first.running.vault.config.databaseUrl
    await first.close()
    const wrongKey = key()
    const vault = await startVault({ dataDir, keySource: localKeySource({ TESSERA_MASTER_KEY: wrongKey }, dataDir), env: databaseUrl ? { DATABASE_URL: databaseUrl } : {} })
    vaults.push(vault)
    const call = api(vault.url)
    const ready = await call('GET', '/health/ready')
    expect([ready.status, ready.body]).toEqual([503, { status: 'not_ready', checks: { database: 'ok', master_key: 'unavailable' } }])
    expect(JSON.stringify(ready.body)).not.toContain(wrongKey)
    expect((await call('GET', '/health/live')).status).toBe(200)
  })
})
