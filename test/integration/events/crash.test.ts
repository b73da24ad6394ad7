// A dispatcher process killed mid-delivery loses nothing: its claim's lease runs out and
// another process sends the events again, with the same ids and bytes.
import type { ChildProcess } from 'node:child_process'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ManualClock } from '../../../backend/clock.js'
import { verifyWebhook } from '../../../packages/node/index.js'
import { api, type Api } from '../../helpers/api.js'
import { encryptCard } from '../../helpers/cards.js'
import { stop } from '../../helpers/processes.js'
import { startVault, type TestProjectKeys, type TestVault } from '../../helpers/vault.js'
import { startReceiver, type Receiver } from './support/receiver.js'
import { spawnVaultProcess } from './support/spawn-vault.js'

const CHILD_DISPATCHER = { pollIntervalMs: 50, leaseMs: 5_000, timeoutMs: 4_000 }
const clock = new ManualClock(Date.now())
let vault: TestVault
let call: Api
let keys: TestProjectKeys
let receiver: Receiver
let child: ChildProcess | undefined

beforeAll(async () => {
  receiver = await startReceiver()
  // This process only writes events until the child is dead: its dispatcher is driven by hand.
  vault = await startVault({ clock, background: false })
  call = api(vault.url)
  keys = await vault.createProject({ webhookUrl: receiver.url })
})
afterAll(async () => {
  if (child) await stop(child, 'SIGKILL')
  await vault.close()
  await receiver.close()
})

describe('a dispatcher process killed mid-delivery', () => {
  it('loses nothing: after its lease runs out another dispatcher delivers every event it held', async () => {
    receiver.answer('hold')
    for (const customer of ['cust_a', 'cust_b', 'cust_c']) {
      const card = await encryptCard(vault.url, { iat: Math.floor(clock.now().getTime() / 1000) })
      expect((await call('POST', '/v1/tokens', { key: keys.test.secret_key, body: { card, customer_id: customer } })).status).toBe(201)
    }
    child = (await spawnVaultProcess(vault, { webhooks: CHILD_DISPATCHER })).child
    // The child has claimed and sent all three; the receiver holds every request open.
    const held = await receiver.waitFor(3, 20_000)
    child.removeAllListeners('exit')
    await stop(child, 'SIGKILL')
    child = undefined

    const db = vault.running.vault.store.db
    const rows = await db.selectFrom('events').selectAll().orderBy('created_at').execute()
    expect(rows).toHaveLength(3)
    for (const row of rows) {
      expect(row).toMatchObject({ delivery_status: 'pending', attempts: 1 })
      expect(row.lease_owner).not.toBeNull()
    }
    // While the dead claim's lease runs, no one else sends them.
    const dispatcher = vault.running.vault.dispatcher
    expect(await dispatcher.runOnce()).toMatchObject({ claimed: 0 })

    receiver.answer(200)
    clock.set(Date.now() + CHILD_DISPATCHER.leaseMs + 1000)
    expect(await dispatcher.runOnce()).toMatchObject({ claimed: 3, delivered: 3 })

    const after = await db.selectFrom('events').selectAll().execute()
    for (const row of after) expect(row).toMatchObject({ delivery_status: 'delivered', attempts: 2, lease_owner: null })
    const ids = rows.map((r) => r.id).sort()
    expect([...new Set(receiver.received.map((r) => r.eventId))].sort()).toEqual(ids)
    for (const id of ids) {
      const copies = receiver.received.filter((r) => r.eventId === id)
      // Once to the dead process (never answered), once more: the duplicate carries the same id and body.
      expect(copies).toHaveLength(2)
      expect(copies[0]?.body).toBe(copies[1]?.body)
      for (const c of copies) expect((await verifyWebhook(c.body, c.signature, `${vault.url}/v1/webhook-keys`, { toleranceSeconds: null })).id).toBe(id)
    }
    expect(held.map((h) => h.eventId).sort()).toEqual(ids)
  })
})

describe('a vault stopping normally', () => {
  it('hands its in-flight deliveries back at once, uncounted, for the next dispatcher', async () => {
    const held = await startReceiver()
    held.answer('hold')
    const first = await startVault({ webhooks: { pollIntervalMs: 50 } })
    const project = await first.createProject({ webhookUrl: held.url })
    const card = await encryptCard(first.url)
    expect((await api(first.url)('POST', '/v1/tokens', { key: project.test.secret_key, body: { card } })).status).toBe(201)
    await held.waitFor(1)
    await first.close()

    const databaseUrl = first.running.vault.config.databaseUrl
    const second = await startVault({ dataDir: first.dataDir, background: false, env: databaseUrl ? { DATABASE_URL: databaseUrl } : {} })
    try {
      const [row] = await second.running.vault.store.db.selectFrom('events').selectAll().execute()
      expect(row).toMatchObject({ delivery_status: 'pending', attempts: 0, lease_owner: null, lease_expires_at: null })
      held.answer(200)
      expect(await second.running.vault.dispatcher.runOnce()).toMatchObject({ claimed: 1, delivered: 1 })
    } finally {
      await second.close()
      await held.close()
    }
  })
})
