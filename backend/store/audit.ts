// The audit chain's rows: append (hash-linked to the chain's head, in the caller's transaction),
// pages for the API, and the chains read back in order for `tessera audit verify`. No card data.
import crypto from 'node:crypto'
import { PostgresAdapter, sql, type Kysely } from 'kysely'
import { canonicalAround, eventHash, genesisHash, type AuditAction } from '../audit/chain.js'
import type { AuditTable, Database, Mode } from './schema.js'

/** Who acted: an API key during a request, or a job (tokens/changes.ts calls it Actor). */
export type AuditActor = { kind: 'key'; keyId: string; requestId: string } | { kind: 'system'; job: string }

export interface AuditEntry {
  projectId: string
  mode: Mode
  action: AuditAction
  token?: string | null | undefined
  payment?: string | null | undefined
  actor: AuditActor
  at: Date
}

export interface AuditRow {
  id: string
  project_id: string
  mode: Mode
  token: string | null
  payment: string | null
  action: string
  actor: string
  request_id: string | null
  created_at: string
  seq: number
  prev_hash: string
  hash: string
}

export const actorColumn = (a: AuditActor) => (a.kind === 'key' ? `key:${a.keyId}` : `system:${a.job}`)

/**
 * Appends an event to its chain inside the caller's transaction. On PostgreSQL it is one
 * statement that locks the chain's head row (a concurrent append to the same chain waits for
 * this transaction, then reads the head it left), hashes in the database and moves the head
 * on; on SQLite, whose BEGIN IMMEDIATE serializes every write already, three small statements.
 * The unique (project, mode, seq) index backs both.
 */
export async function appendAudit(db: Kysely<Database>, entry: AuditEntry): Promise<AuditRow> {
  // Outside a transaction SQLite's statements of two appends could interleave: never allowed.
  if (!db.isTransaction) throw new Error('appendAudit runs inside the transaction of the change it records')
  const fields = {
    id: 'aud_' + crypto.randomBytes(12).toString('hex'),
    project_id: entry.projectId,
    mode: entry.mode,
    token: entry.token ?? null,
    payment: entry.payment ?? null,
    action: entry.action,
    actor: actorColumn(entry.actor),
    request_id: entry.actor.kind === 'key' ? entry.actor.requestId : null,
    created_at: entry.at.toISOString(),
  }
  const append = db.getExecutor().adapter instanceof PostgresAdapter ? appendOnPostgres : appendSerialized
  for (let attempt = 0; attempt < 2; attempt++) {
    const row = await append(db, fields)
    if (row) return row
    // The chain's first event: start its head (a concurrent first append makes this wait, then a no-op).
    await db.insertInto('audit_heads').values({ project_id: entry.projectId, mode: entry.mode, seq: 0, hash: genesisHash(entry.projectId, entry.mode) }).onConflict((oc) => oc.columns(['project_id', 'mode']).doNothing()).execute()
  }
  throw new Error('audit chain head could not be created')
}

type EventFields = Omit<AuditRow, 'seq' | 'prev_hash' | 'hash'>
const headOf = (f: EventFields) => ({ projectId: f.project_id, mode: f.mode })

/** Head, event, head: for SQLite, where the transaction holds the write lock from its start. */
async function appendSerialized(db: Kysely<Database>, fields: EventFields): Promise<AuditRow | undefined> {
  const { projectId, mode } = headOf(fields)
  const head = await db.updateTable('audit_heads').set({ seq: sql<number>`seq + 1` }).where('project_id', '=', projectId).where('mode', '=', mode).returning(['seq', 'hash']).executeTakeFirst()
  if (!head) return undefined
  const row: AuditRow = { ...fields, seq: Number(head.seq), prev_hash: head.hash, hash: '' }
  row.hash = eventHash(row)
  await db.insertInto('audit_log').values(row).execute()
  await db.updateTable('audit_heads').set({ hash: row.hash }).where('project_id', '=', projectId).where('mode', '=', mode).execute()
  return row
}

/**
 * One round trip for PostgreSQL: the head row is locked (FOR UPDATE), the event hashed with
 * the database's sha256() over the same bytes eventHash() hashes (prev_hash, then the
 * canonical JSON, which holds prev_hash once, between `before` and `after`), inserted, and the
 * head moved on.
 */
async function appendOnPostgres(db: Kysely<Database>, fields: EventFields): Promise<AuditRow | undefined> {
  const { projectId, mode } = headOf(fields)
  const { before, after } = canonicalAround(fields)
  const result = await sql<{ seq: string; prev_hash: string; hash: string }>`
    with head as (
      select seq + 1 as seq, hash as prev_hash from audit_heads where project_id = ${projectId} and mode = ${mode} for update
    ), event as (
      select seq, prev_hash, encode(sha256(convert_to(prev_hash || ${before}::text || prev_hash || ${after}::text, 'UTF8')), 'hex') as hash from head
    ), inserted as (
      insert into audit_log (id, project_id, mode, token, payment, action, actor, request_id, created_at, seq, prev_hash, hash)
      select ${fields.id}, ${projectId}, ${mode}, ${fields.token}, ${fields.payment}, ${fields.action}, ${fields.actor}, ${fields.request_id}, ${fields.created_at}, seq, prev_hash, hash from event
    )
    update audit_heads set seq = event.seq, hash = event.hash from event
    where audit_heads.project_id = ${projectId} and audit_heads.mode = ${mode}
    returning event.seq, event.prev_hash, event.hash`.execute(db)
  const out = result.rows[0]
  return out && { ...fields, seq: Number(out.seq), prev_hash: out.prev_hash, hash: out.hash }
}

export interface AuditFilter {
  projectId: string
  mode: Mode
  token?: string | undefined
  action?: string | undefined
  createdGte?: string | undefined
  createdLt?: string | undefined
}

const toRow = (r: Omit<AuditTable, 'seq'> & { seq: number | string }): AuditRow => ({ ...r, seq: Number(r.seq) })

/** One page of a chain, newest (highest seq) first; reads `limit + 1` rows to know if more follow. */
export async function listAuditEvents(db: Kysely<Database>, filter: AuditFilter, limit: number, beforeSeq?: number): Promise<AuditRow[]> {
  let query = db.selectFrom('audit_log').selectAll().where('project_id', '=', filter.projectId).where('mode', '=', filter.mode)
  if (filter.token !== undefined) query = query.where('token', '=', filter.token)
  if (filter.action !== undefined) query = query.where('action', '=', filter.action)
  if (filter.createdGte !== undefined) query = query.where('created_at', '>=', filter.createdGte)
  if (filter.createdLt !== undefined) query = query.where('created_at', '<', filter.createdLt)
  if (beforeSeq !== undefined) query = query.where('seq', '<', beforeSeq)
  return (await query.orderBy('seq', 'desc').limit(limit + 1).execute()).map(toRow)
}

export interface ChainKey {
  projectId: string
  mode: Mode
}

/** Every chain (by its head or by its events), optionally of one project. */
export async function listChains(db: Kysely<Database>, projectId?: string): Promise<ChainKey[]> {
  let heads = db.selectFrom('audit_heads').select(['project_id', 'mode'])
  let events = db.selectFrom('audit_log').select(['project_id', 'mode'])
  if (projectId !== undefined) {
    heads = heads.where('project_id', '=', projectId)
    events = events.where('project_id', '=', projectId)
  }
  const rows = await heads.union(events).execute()
  return rows.map((r) => ({ projectId: r.project_id, mode: r.mode })).sort((a, b) => (a.projectId + a.mode < b.projectId + b.mode ? -1 : 1))
}

export async function chainHead(db: Kysely<Database>, chain: ChainKey): Promise<{ seq: number; hash: string } | undefined> {
  const head = await db.selectFrom('audit_heads').select(['seq', 'hash']).where('project_id', '=', chain.projectId).where('mode', '=', chain.mode).executeTakeFirst()
  return head && { seq: Number(head.seq), hash: head.hash }
}

/** An event of the chain that has no position (so no place in it), if any: only a hand-made row can be one. */
export async function unplacedEvent(db: Kysely<Database>, chain: ChainKey): Promise<string | undefined> {
  const row = await db.selectFrom('audit_log').select('id').where('project_id', '=', chain.projectId).where('mode', '=', chain.mode).where('seq', 'is', null).executeTakeFirst()
  return row?.id
}

/** A chain's events in order, `batch` rows per query. */
export async function* chainEvents(db: Kysely<Database>, chain: ChainKey, batch = 1000): AsyncGenerator<AuditRow> {
  let after = 0
  for (;;) {
    const rows = await db.selectFrom('audit_log').selectAll().where('project_id', '=', chain.projectId).where('mode', '=', chain.mode).where('seq', '>', after).orderBy('seq').limit(batch).execute()
    for (const r of rows) yield toRow(r)
    if (rows.length < batch) return
    after = Number(rows[rows.length - 1]?.seq)
  }
}
