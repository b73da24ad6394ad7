// The lifecycle jobs on the injected clock: expiry (token.expired, by the clock and not by a
// request), retention (purge 14 months after expiry or last use, extension bounded at 24
// months, token.deleted with a tombstone), housekeeping, and several processes at once.
import { afterEach, describe, expect, it } from 'vitest'
import { addMonths, ManualClock } from '../../../backend/clock.js'
import { stop } from '../../helpers/processes.js'
import { api, type Api } from '../../helpers/api.js'
import { encryptCard } from '../../helpers/cards.js'
import { startVault, type TestProjectKeys, type TestVault } from '../../helpers/vault.js'
import { spawnVaultProcess, type VaultProcess } from './support/spawn-vault.js'

const cleanups: (() => Promise<unknown>)[] = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

interface Setup {
  vault: TestVault
  clock: ManualClock
  call: Api
  keys: TestProjectKeys
  tokenize(fields?: Record<string, unknown>): Promise<any>
  events(type: string): Promise<any[]>
  row(token: string): Promise<any>
}

async function setup(start: string, options: Parameters<typeof startVault>[0] = {}): Promise<Setup> {
  const clock = new ManualClock(start)
  const vault = await startVault({ clock, background: false, ...options })
  cleanups.push(() => vault.close())
  const call = api(vault.url)
  const keys = await vault.createProject()
  const sk = keys.test.secret_key
  const db = vault.running.vault.store.db
  return {
    vault,
    clock,
    call,
    keys,
    async tokenize(fields = {}) {
      const card = await encryptCard(vault.url, { exp_month: 3, exp_year: 2030, iat: Math.floor(clock.now().getTime() / 1000), ...fields })
      const res = await call('POST', '/v1/tokens', { key: sk, body: { card, customer_id: 'cust_jobs' } })
      expect(res.status).toBe(201)
      return res.body
    },
    async events(type) {
      return (await call('GET', `/v1/events?limit=100&type=${type}`, { key: sk })).body.data
    },
    row: (token) => db.selectFrom('tokens').selectAll().where('token', '=', token).executeTakeFirst(),
  }
}

describe('expiry', () => {
  it('marks a token expired once its card expiry month has ended, with one token.expired event', async () => {
    const s = await setup('2030-03-15T12:00:00.000Z')
    const march = await s.tokenize()
    const april = await s.tokenize({ exp_month: 4 })
    const revoked = await s.tokenize()
    await s.call('POST', `/v1/tokens/${revoked.token}/revoke`, { key: s.keys.test.secret_key })
    const jobs = s.vault.running.vault.jobs

    s.clock.set('2030-03-31T23:59:59.999Z')
    expect(await jobs.runOnce('expiry')).toEqual({ expired: 0, taken: 0 })
    s.clock.set('2030-04-01T00:00:00.000Z')
    expect(await jobs.runOnce('expiry')).toEqual({ expired: 1, taken: 0 })
    expect(await jobs.runOnce('expiry')).toEqual({ expired: 0, taken: 0 })

    expect((await s.row(march.token)).status).toBe('expired')
    expect((await s.row(april.token)).status).toBe('active')
    expect((await s.row(revoked.token)).status).toBe('revoked')
    const expired = await s.events('token.expired')
    expect(expired).toHaveLength(1)
    expect(expired[0]).toMatchObject({ type: 'token.expired', created_at: '2030-04-01T00:00:00.000Z', data: { object: { token: march.token, status: 'expired' } } })
    const audit = await s.vault.running.vault.store.db.selectFrom('audit_log').select(['action', 'actor']).where('token', '=', march.token).execute()
    expect(audit).toContainEqual({ action: 'token.expired', actor: 'system:expiry' })
  })

  it('runs on its own timer: no request is needed for a token to expire', async () => {
    const s = await setup('2030-03-15T12:00:00.000Z', { background: true, jobs: { expiryIntervalMs: 50 } })
    const t = await s.tokenize()
    s.clock.set('2030-04-01T00:00:00.000Z')
    await expect.poll(async () => (await s.row(t.token)).status, { timeout: 5000, interval: 50 }).toBe('expired')
    expect(await s.vault.running.vault.store.db.selectFrom('events').select('type').where('type', '=', 'token.expired').execute()).toHaveLength(1)
  })
})

describe('retention', () => {
  it('purges 14 months after expiry or last use, whichever is later: ciphertext destroyed, tombstone kept, token.deleted sent', async () => {
    const s = await setup('2030-03-15T12:00:00.000Z')
    const plain = await s.tokenize({ name: 'PAUL SMITH' })
    const used = await s.tokenize()
    expect(plain.retain_until).toBe('2031-06-01T00:00:00.000Z')
    // A payment used the card later (as the payments code records it); its stored date is stale.
    await s.vault.running.vault.store.db.updateTable('tokens').set({ last_used_at: '2031-01-15T10:00:00.000Z' }).where('token', '=', used.token).execute()
    const jobs = s.vault.running.vault.jobs

    s.clock.set('2031-05-31T23:59:59.999Z')
    expect(await jobs.runOnce('retention')).toEqual({ purged: 0, kept: 0 })
    s.clock.set('2031-06-01T00:00:00.000Z')
    expect(await jobs.runOnce('retention')).toEqual({ purged: 1, kept: 1 })

    const tomb = await s.row(plain.token)
    expect(tomb).toMatchObject({ status: 'deleted', card_ciphertext: null, data_key_id: null, account_key: null, holder_name: null, fingerprint: '', bin: '', deleted_at: '2031-06-01T00:00:00.000Z' })
    expect((await s.call('GET', `/v1/tokens/${plain.token}`, { key: s.keys.test.secret_key })).status).toBe(404)
    const [deleted] = await s.events('token.deleted')
    expect(deleted.data.object).toEqual({ object: 'token', token: plain.token, deleted: true, mode: 'test', customer_id: 'cust_jobs', deleted_at: '2031-06-01T00:00:00.000Z' })
    expect(JSON.stringify(deleted)).not.toMatch(/424242|PAUL SMITH/)

    expect((await s.row(used.token)).retain_until).toBe('2032-03-15T10:00:00.000Z')
    s.clock.set('2032-03-15T10:00:00.000Z')
    expect(await jobs.runOnce('retention')).toEqual({ purged: 1, kept: 0 })
    expect((await s.row(used.token)).status).toBe('deleted')
    expect(await s.events('token.deleted')).toHaveLength(2)
  })

  it('keeps an extended token up to 24 months past the policy, never longer', async () => {
    const s = await setup('2030-03-15T12:00:00.000Z')
    const t = await s.tokenize()
    const sk = s.keys.test.secret_key
    for (const months of [25, 36, 0]) {
      const refused = await s.call('POST', `/v1/tokens/${t.token}/extend`, { key: sk, body: { months } })
      expect([refused.status, refused.body.error.param]).toEqual([400, 'months'])
    }
    const extended = await s.call('POST', `/v1/tokens/${t.token}/extend`, { key: sk, body: { months: 24 } })
    expect(extended.body.retain_until).toBe(addMonths(new Date('2030-04-01T00:00:00.000Z'), 14 + 24).toISOString())
    expect(extended.body.retain_until).toBe('2033-06-01T00:00:00.000Z')
    // Extending again does not add up.
    expect((await s.call('POST', `/v1/tokens/${t.token}/extend`, { key: sk, body: { months: 24 } })).body.retain_until).toBe('2033-06-01T00:00:00.000Z')
    const jobs = s.vault.running.vault.jobs
    s.clock.set('2031-06-01T00:00:00.000Z')
    expect(await jobs.runOnce('retention')).toEqual({ purged: 0, kept: 0 })
    s.clock.set('2033-05-31T23:59:59.999Z')
    expect(await jobs.runOnce('retention')).toEqual({ purged: 0, kept: 0 })
    s.clock.set('2033-06-01T00:00:00.000Z')
    expect(await jobs.runOnce('retention')).toEqual({ purged: 1, kept: 0 })
    expect((await s.call('POST', `/v1/tokens/${t.token}/extend`, { key: sk, body: { months: 24 } })).status).toBe(404)
  })
})

describe('housekeeping', () => {
  it('prunes replay ids and idempotency records past their window, and settled events past 30 days', async () => {
    const s = await setup('2030-03-15T12:00:00.000Z')
    const db = s.vault.running.vault.store.db
    const count = async (table: 'seen_jtis' | 'idempotency_keys' | 'events') => Number((await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n)
    const card = await encryptCard(s.vault.url, { exp_month: 3, exp_year: 2031, iat: Math.floor(s.clock.now().getTime() / 1000) })
    expect((await s.call('POST', '/v1/tokens', { key: s.keys.test.secret_key, body: { card }, headers: { 'idempotency-key': 'k-1' } })).status).toBe(201)
    // No webhook URL: the event is written settled (skipped); the dispatcher has nothing to claim.
    const [first] = await s.events('token.created')
    expect(first.delivery).toMatchObject({ status: 'skipped', attempts: 0, next_attempt_at: null, last_error: 'no webhook URL' })
    expect(await s.vault.running.vault.dispatcher.runOnce()).toMatchObject({ claimed: 0 })
    // With a webhook URL (set in the table: projects cannot be edited through the API) the next event waits for delivery.
    await db.updateTable('projects').set({ webhook_url: 'http://127.0.0.1:9/hooks' }).where('id', '=', s.keys.projectId).execute()
    s.clock.advance(1000)
    await s.tokenize({ exp_year: 2031 })
    expect((await s.events('token.created'))[0].delivery.status).toBe('pending')
    expect([await count('seen_jtis'), await count('idempotency_keys'), await count('events')]).toEqual([2, 1, 2])
    const jobs = s.vault.running.vault.jobs

    expect(await jobs.runOnce('housekeeping')).toEqual({ seen_jtis: 0, idempotency_keys: 0, customer_sessions: 0, events: 0 })
    s.clock.advance(7 * 60_000)
    expect(await jobs.runOnce('housekeeping')).toEqual({ seen_jtis: 2, idempotency_keys: 0, customer_sessions: 0, events: 0 })
    s.clock.advance(25 * 3600_000)
    expect(await jobs.runOnce('housekeeping')).toEqual({ seen_jtis: 0, idempotency_keys: 1, customer_sessions: 0, events: 0 })
    s.clock.advance(30 * 24 * 3600_000)
    // The settled event goes; the one still pending stays until it is delivered or fails.
    expect(await jobs.runOnce('housekeeping')).toEqual({ seen_jtis: 0, idempotency_keys: 0, customer_sessions: 0, events: 1 })
    expect(await count('events')).toBe(1)
  })
})

describe('several processes', () => {
  it('expire and purge each token once when two vault processes run the jobs at the same moment', async () => {
    const s = await setup('2030-03-15T12:00:00.000Z', { jobs: { batchSize: 25 } })
    const n = 120
    for (let i = 0; i < n; i++) await s.tokenize()
    const at = (iso: string) => spawnVaultProcess(s.vault, { background: false, clock: iso, jobs: { batchSize: 25 } })
    const both = async (iso: string, job: string) => {
      const other: VaultProcess = await at(iso)
      cleanups.push(() => stop(other.child, 'SIGKILL'))
      s.clock.set(iso)
      return Promise.all([s.vault.running.vault.jobs.runOnce(job), other.runJob(job)])
    }
    const [mine, theirs] = await both('2030-04-01T00:00:00.000Z', 'expiry')
    expect((mine.expired ?? 0) + (theirs.expired ?? 0)).toBe(n)
    const db = s.vault.running.vault.store.db
    const eventsOf = (type: string) => db.selectFrom('events').select('id').where('type', '=', type).execute()
    expect(await eventsOf('token.expired')).toHaveLength(n)

    const [a, b] = await both('2031-06-01T00:00:00.000Z', 'retention')
    expect((a.purged ?? 0) + (b.purged ?? 0)).toBe(n)
    expect(await eventsOf('token.deleted')).toHaveLength(n)
    console.log(`two processes shared the work: expiry ${mine.expired}+${theirs.expired}, retention ${a.purged}+${b.purged} of ${n} tokens`)
  }, 90_000) // 120 tokenizations and four vault processes: slow on a busy machine
})
