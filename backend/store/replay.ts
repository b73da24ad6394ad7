// Seen JWE ids: a `jti` is accepted once while its JWE could still be fresh.
import type { Kysely } from 'kysely'
import type { Database } from './schema.js'

export async function jtiSeen(db: Kysely<Database>, jti: string): Promise<boolean> {
  return (await db.selectFrom('seen_jtis').select('jti').where('jti', '=', jti).executeTakeFirst()) !== undefined
}

/** Records a jti; the primary key makes a concurrent second use fail with a unique violation. */
export async function recordJti(db: Kysely<Database>, jti: string, expiresAt: string): Promise<void> {
  await db.insertInto('seen_jtis').values({ jti, expires_at: expiresAt }).execute()
}
