// Seen JWE ids: a `jti` is accepted once while its JWE could still be fresh.
import type { Kysely } from 'kysely'
import { insertOutcome, type WriteOutcome } from './outcome.js'
import type { Database } from './schema.js'

/** Records a jti; `conflict` when it was recorded before (even by a concurrent request). */
export async function recordJti(db: Kysely<Database>, jti: string, expiresAt: string): Promise<WriteOutcome> {
  return insertOutcome(await db.insertInto('seen_jtis').values({ jti, expires_at: expiresAt }).onConflict((oc) => oc.doNothing()).executeTakeFirst())
}

/** Forgets a claimed jti (a payment that recorded nothing), so the same JWE may be retried. */
export async function forgetJti(db: Kysely<Database>, jti: string): Promise<void> {
  await db.deleteFrom('seen_jtis').where('jti', '=', jti).execute()
}
