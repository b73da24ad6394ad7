// Seen JWE ids: a `jti` is accepted once while its JWE could still be fresh.
import type { Kysely } from 'kysely'
import { affectedOutcome, type WriteOutcome } from './outcome.js'
import { prepared } from './prepared.js'
import type { Database } from './schema.js'

const insertJti = prepared((db, row: { jti: string; expires_at: string }) => db.insertInto('seen_jtis').values(row).onConflict((oc) => oc.doNothing()))

/** Records a jti; `conflict` when it was recorded before (even by a concurrent request). */
export async function recordJti(db: Kysely<Database>, jti: string, expiresAt: string): Promise<WriteOutcome> {
  return affectedOutcome(await insertJti(db, { jti, expires_at: expiresAt }))
}

/** Forgets a claimed jti (a payment that recorded nothing), so the same JWE may be retried. */
export async function forgetJti(db: Kysely<Database>, jti: string): Promise<void> {
  await db.deleteFrom('seen_jtis').where('jti', '=', jti).execute()
}
