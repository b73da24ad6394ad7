// Idempotency records: the first response to a POST with an Idempotency-Key, kept for a day.
import type { Kysely } from 'kysely'
import { insertOutcome, type WriteOutcome } from './outcome.js'
import type { Database, Mode } from './schema.js'

/** A key is scoped by project, mode and the API key that sent it (DESIGN.md "Keys and modes"). */
export interface IdempotencyScope {
  projectId: string
  mode: Mode
  keyId: string
  key: string
}


export async function findIdempotency(db: Kysely<Database>, s: IdempotencyScope) {
  return db.selectFrom('idempotency_keys').selectAll().where('project_id', '=', s.projectId).where('mode', '=', s.mode).where('key_id', '=', s.keyId).where('key', '=', s.key).executeTakeFirst()
}

/** Claims the key; `conflict` when another request holds or finished it. */
export async function claimIdempotency(db: Kysely<Database>, s: IdempotencyScope, requestHash: string, now: string, expiresAt: string): Promise<WriteOutcome> {
  const result = await db
    .insertInto('idempotency_keys')
    .values({ project_id: s.projectId, mode: s.mode, key_id: s.keyId, key: s.key, request_hash: requestHash, state: 'pending', response_status: null, response_body: null, created_at: now, expires_at: expiresAt })
    .onConflict((oc) => oc.doNothing())
    .executeTakeFirst()
  return insertOutcome(result)
}

export async function completeIdempotency(db: Kysely<Database>, s: IdempotencyScope, status: number, body: string): Promise<void> {
  await db.updateTable('idempotency_keys').set({ state: 'done', response_status: status, response_body: body }).where('project_id', '=', s.projectId).where('mode', '=', s.mode).where('key_id', '=', s.keyId).where('key', '=', s.key).execute()
}

export async function releaseIdempotency(db: Kysely<Database>, s: IdempotencyScope): Promise<void> {
  await db.deleteFrom('idempotency_keys').where('project_id', '=', s.projectId).where('mode', '=', s.mode).where('key_id', '=', s.keyId).where('key', '=', s.key).execute()
}

