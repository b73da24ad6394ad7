// `tessera audit verify` (the real CLI, DESIGN.md "Audit chain") over a real chain: it passes an
// intact one and names an edited, deleted, re-hashed, slipped-in or cut-off event; concurrent
// appends leave one valid chain. The events themselves and their API: audit-chain.test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { allAuditEvents, auditVerify, expectValidChain } from '../../helpers/audit.js'
import { encryptCard, liveCardNumber } from '../../helpers/cards.js'
import { APPROVE, startWorld, year, type World } from '../payments/support/world.js'

let w: World

const sk = () => w.sk()
const db = () => w.vault.running.vault.store.db

async function tokenize(key = sk(), card?: string): Promise<string> {
  const res = await w.call('POST', '/v1/tokens', { key, body: { card: card ?? (await w.card(APPROVE)) } })
  expect(res.status, JSON.stringify(res.body)).toBe(201)
  return res.body.token as string
}

/** A test-mode chain of eight events of several actions (#5 a token.created the checks edit), and a live-mode chain of one. */
beforeAll(async () => {
  w = await startWorld()
  const a = await tokenize()
  const b = await tokenize()
  expect((await w.call('PATCH', `/v1/tokens/${a}`, { key: sk(), body: { exp_month: 7, exp_year: year + 1 } })).status).toBe(200)
  expect((await w.call('POST', `/v1/tokens/${a}/extend`, { key: sk(), body: { months: 6 } })).status).toBe(200)
  await tokenize()
  expect((await w.call('POST', `/v1/tokens/${b}/revoke`, { key: sk() })).status).toBe(200)
  for (let i = 0; i < 2; i++) await tokenize()
  await tokenize(w.keys.live.secret_key, await encryptCard(w.vault.url, { number: liveCardNumber() }))
  expectValidChain(await allAuditEvents(w.call, sk()), w.keys.projectId, 'test')
})
afterAll(() => w?.close())

// Each check runs the CLI as a process (a few seconds each on a loaded machine).
const CLI_TIMEOUT_MS = 120_000

describe('tessera audit verify', () => {
  it('exits 0 with a summary when every chain matches', async () => {
    const out = await auditVerify(w.vault)
    expect(out.stderr).toBe('')
    expect(out.code).toBe(0)
    expect(out.stdout).toMatch(/audit verify: ok, \d+ chains, \d+ events/)
    expect(out.stdout).toContain(`${w.keys.projectId} test:`)
    const mine = await auditVerify(w.vault, ['--project', w.keys.projectId])
    expect(mine.code).toBe(0)
    expect(mine.stdout).toContain('audit verify: ok, 2 chains')
    const unknown = await auditVerify(w.vault, ['--project', 'proj_nope'])
    expect(unknown.code).toBe(2)
    expect(unknown.stderr).toContain('no project proj_nope')
  }, CLI_TIMEOUT_MS)

  /** Applies an edit to the stored chain, runs the CLI, and puts the rows back as they were. */
  async function tampered(edit: (rows: any[]) => Promise<void>): Promise<{ out: Awaited<ReturnType<typeof auditVerify>>; rows: any[] }> {
    const rows = await db().selectFrom('audit_log').selectAll().where('project_id', '=', w.keys.projectId).where('mode', '=', 'test').orderBy('seq').execute()
    await edit(rows)
    const out = await auditVerify(w.vault)
    await db().deleteFrom('audit_log').where('project_id', '=', w.keys.projectId).where('mode', '=', 'test').execute()
    for (const r of rows) await db().insertInto('audit_log').values({ ...r, seq: Number(r.seq) }).execute()
    return { out, rows }
  }

  const update = async (id: string, set: Record<string, string>) => {
    await db().updateTable('audit_log').set(set).where('id', '=', id).execute()
  }

  it('names an event whose action, token or created_at was changed (hash mismatch)', async () => {
    for (const [column, value] of [['action', 'token.revoked'], ['token', 'tok_someone_else'], ['created_at', '2020-01-01T00:00:00.000Z'], ['actor', 'system:expiry']] as const) {
      const { out, rows } = await tampered(async (rows) => update(rows[4].id, { [column]: value }))
      expect(out.code, column).toBe(1)
      expect(out.stderr, column).toContain(`event ${rows[4].id} (#5) of project ${w.keys.projectId} mode test: hash mismatch`)
    }
  }, CLI_TIMEOUT_MS)

  it('names the event after a deleted one (broken link), an event re-hashed after an edit, a row without a position, and a cut-off tail', async () => {
    const deleted = await tampered(async (rows) => {
      await db().deleteFrom('audit_log').where('id', '=', rows[3].id).execute()
    })
    expect(deleted.out.code).toBe(1)
    expect(deleted.out.stderr).toContain(`event ${deleted.rows[4].id} (#5) of project ${w.keys.projectId} mode test: broken link`)
    expect(deleted.out.stderr).toContain('#4 are missing')

    // An attacker who recomputes the edited event's own hash still breaks the next link.
    const { canonical } = await import('../../helpers/audit.js')
    const crypto = await import('node:crypto')
    const rehashed = await tampered(async (rows) => {
      const listed = (await allAuditEvents(w.call, sk())).find((e) => e.id === rows[2].id)
      const forged = { ...listed, action: 'token.revoked' }
      delete forged.hash
      await update(rows[2].id, { action: 'token.revoked', hash: crypto.createHash('sha256').update(forged.prev_hash + canonical(forged)).digest('hex') })
    })
    expect(rehashed.out.code).toBe(1)
    expect(rehashed.out.stderr).toContain(`event ${rehashed.rows[3].id} (#4) of project ${w.keys.projectId} mode test: broken link`)

    // A row slipped in by hand, without a position, is no part of the chain: named too.
    const slipped = await tampered(async (rows) => {
      await db().insertInto('audit_log').values({ ...rows[0], id: 'aud_slipped_in', seq: null as never }).execute()
    })
    expect(slipped.out.code).toBe(1)
    expect(slipped.out.stderr).toContain(`event aud_slipped_in of project ${w.keys.projectId} mode test: unchained event`)

    const cut = await tampered(async (rows) => {
      await db().deleteFrom('audit_log').where('id', '=', rows[rows.length - 1].id).execute()
    })
    expect(cut.out.code).toBe(1)
    expect(cut.out.stderr).toContain(`event ${cut.rows[cut.rows.length - 2].id} (#${cut.rows.length - 1}) of project ${w.keys.projectId} mode test: missing tail`)
    expect((await auditVerify(w.vault)).code).toBe(0)
  }, CLI_TIMEOUT_MS)
})

describe('concurrent appends', () => {
  it('32 tokenizes at once leave one valid chain, each event at its own position', async () => {
    const before = (await allAuditEvents(w.call, sk())).length
    const results = await Promise.all(Array.from({ length: 32 }, async () => w.call('POST', '/v1/tokens', { key: sk(), body: { card: await w.card(APPROVE) } })))
    expect(results.map((r) => r.status).filter((s) => s !== 201)).toEqual([])
    const events = await allAuditEvents(w.call, sk())
    expect(events.length).toBe(before + 32)
    expectValidChain(events, w.keys.projectId, 'test')
    const seqs = (await db().selectFrom('audit_log').select('seq').where('project_id', '=', w.keys.projectId).where('mode', '=', 'test').orderBy('seq').execute()).map((r) => Number(r.seq))
    expect(seqs).toEqual(Array.from({ length: events.length }, (_, i) => i + 1))
    const out = await auditVerify(w.vault, ['--project', w.keys.projectId])
    expect(out.code, out.stderr).toBe(0)
  }, CLI_TIMEOUT_MS)
})
