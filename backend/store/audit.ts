// The audit chain's rows: append (hash-linked to the chain's head, in the caller's transaction),
// pages for the API, and the chains read back in order for `tessera audit verify`. No card data.
import crypto from 'node:crypto'
import { PostgresAdapter, sql, type Kysely } from 'kysely'
import { canonicalAround, genesisHash, type AuditAction } from '../audit/chain.js'
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
 * Appends an event to its chain inside the caller's transaction, in one statement: it reads
 * the chain's head, hashes in the database (tessera_sha256_hex over the bytes eventHash()
 * hashes: prev_hash, then the canonical JSON, which holds prev_hash once, between `before` and
 * `after`) and inserts; a trigger moves the head on (migration 0007). On PostgreSQL the head
 * is read FOR UPDATE, so a concurrent append to the same chain waits for this transaction and
 * then reads the head it left; SQLite's BEGIN IMMEDIATE serializes every write already. The
 * unique (project, mode, seq) index backs both.
 */
export async function appendAudit(db: Kysely<Database>, entry: AuditEntry): Promise<AuditRow> {
  // Outside a transaction a PostgreSQL append would hold no lock past its statement: never allowed.
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
  const { before, after } = canonicalAround(fields)
  // The one thing the dialects do differently here: SQLite has no row locks (nor their syntax).
  const lock = db.getExecutor().adapter instanceof PostgresAdapter ? sql` for update` : sql``
  for (let attempt = 0; attempt < 2; attempt++) {
    const { rows } = await sql<{ seq: number | string; prev_hash: string; hash: string }>`
      insert into audit_log (id, project_id, mode, token, payment, action, actor, request_id, created_at, seq, prev_hash, hash)
      select ${fields.id}, ${fields.project_id}, ${fields.mode}, ${fields.token}, ${fields.payment}, ${fields.action}, ${fields.actor}, ${fields.request_id}, ${fields.created_at},
        seq + 1, hash, tessera_sha256_hex(hash || ${before} || hash || ${after})
      from audit_heads where project_id = ${fields.project_id} and mode = ${fields.mode}${lock}
      returning seq, prev_hash, hash`.execute(db)
    const row = rows[0]
    if (row) return { ...fields, seq: Number(row.seq), prev_hash: row.prev_hash, hash: row.hash }
    // The chain's first event: start its head (a concurrent first append makes this wait, then a no-op).
    await db.insertInto('audit_heads').values({ project_id: entry.projectId, mode: entry.mode, seq: 0, hash: genesisHash(entry.projectId, entry.mode) }).onConflict((oc) => oc.columns(['project_id', 'mode']).doNothing()).execute()
  }
  throw new Error('audit chain head could not be created')
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
