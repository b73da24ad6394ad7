// Master-key rotation's second half: every value the key source wrapped (project HMAC keys,
// data keys, JWE and webhook private keys) is unwrapped and wrapped again under the current
// master key. Each row is updated only if it is still what was read, so a concurrent writer
// is never overwritten; a row that changed is simply taken again on the next pass.
import type { Kysely } from 'kysely'
import { dataKeyContext, jweKeyContext, projectKeyContext, webhookKeyContext } from '../crypto/key-contexts.js'
import type { KeySource } from '../crypto/key-source.js'
import type { Database } from './schema.js'

export interface RewrapReport {
  rewrapped: number
  /** Values still wrapped by another key than the current one, by key id. */
  remaining: Record<string, number>
}

async function again(keySource: KeySource, wrapped: string, context: string): Promise<string> {
  return keySource.wrap(await keySource.unwrap(wrapped, context), context)
}

export async function rewrapAll(db: Kysely<Database>, keySource: KeySource): Promise<RewrapReport> {
  const current = keySource.currentKeyId
  let rewrapped = 0

  for (const p of await db.selectFrom('projects').select(['id', 'fingerprint_key', 'token_key']).where('master_key_id', '!=', current).execute()) {
    const result = await db
      .updateTable('projects')
      .set({
        fingerprint_key: await again(keySource, p.fingerprint_key, projectKeyContext(p.id, 'fingerprint')),
        token_key: await again(keySource, p.token_key, projectKeyContext(p.id, 'token')),
        master_key_id: current,
      })
      .where('id', '=', p.id)
      .where('fingerprint_key', '=', p.fingerprint_key)
      .where('token_key', '=', p.token_key)
      .executeTakeFirst()
    rewrapped += Number(result.numUpdatedRows)
  }

  for (const d of await db.selectFrom('data_keys').select(['id', 'project_id', 'mode', 'wrapped']).where('master_key_id', '!=', current).execute()) {
    const wrapped = await again(keySource, d.wrapped, dataKeyContext(d.project_id, d.mode))
    const result = await db.updateTable('data_keys').set({ wrapped, master_key_id: current }).where('id', '=', d.id).where('wrapped', '=', d.wrapped).executeTakeFirst()
    rewrapped += Number(result.numUpdatedRows)
  }

  for (const [table, context] of [['jwe_keys', jweKeyContext], ['webhook_keys', webhookKeyContext]] as const) {
    for (const k of await db.selectFrom(table).select(['kid', 'private_wrapped']).where('master_key_id', '!=', current).execute()) {
      const wrapped = await again(keySource, k.private_wrapped, context(k.kid))
      const result = await db.updateTable(table).set({ private_wrapped: wrapped, master_key_id: current }).where('kid', '=', k.kid).where('private_wrapped', '=', k.private_wrapped).executeTakeFirst()
      rewrapped += Number(result.numUpdatedRows)
    }
  }

  return { rewrapped, remaining: await wrappedByOtherKeys(db, current) }
}

export async function wrappedByOtherKeys(db: Kysely<Database>, current: string): Promise<Record<string, number>> {
  const remaining: Record<string, number> = {}
  for (const table of ['projects', 'data_keys', 'jwe_keys', 'webhook_keys'] as const) {
    const rows = await db
      .selectFrom(table)
      .select((eb) => ['master_key_id', eb.fn.countAll<number>().as('n')])
      .where('master_key_id', '!=', current)
      .groupBy('master_key_id')
      .execute()
    for (const r of rows) remaining[r.master_key_id] = (remaining[r.master_key_id] ?? 0) + Number(r.n)
  }
  return remaining
}

/** One stored wrapped value, with the context it was wrapped under and what it is. */
export interface WrappedSample {
  kind: 'project keys' | 'data keys' | 'JWE keys' | 'webhook keys'
  masterKeyId: string
  wrapped: string
  context: string
}

/** One wrapped value per table and master key id: enough to prove a key source opens them all. */
export async function wrappedSamples(db: Kysely<Database>): Promise<WrappedSample[]> {
  const samples: WrappedSample[] = []
  const masterIds = async (table: 'projects' | 'data_keys' | 'jwe_keys' | 'webhook_keys') => (await db.selectFrom(table).select('master_key_id').distinct().execute()).map((r) => r.master_key_id)
  for (const masterKeyId of await masterIds('projects')) {
    const p = await db.selectFrom('projects').select(['id', 'fingerprint_key']).where('master_key_id', '=', masterKeyId).limit(1).executeTakeFirstOrThrow()
    samples.push({ kind: 'project keys', masterKeyId, wrapped: p.fingerprint_key, context: projectKeyContext(p.id, 'fingerprint') })
  }
  for (const masterKeyId of await masterIds('data_keys')) {
    const d = await db.selectFrom('data_keys').select(['project_id', 'mode', 'wrapped']).where('master_key_id', '=', masterKeyId).limit(1).executeTakeFirstOrThrow()
    samples.push({ kind: 'data keys', masterKeyId, wrapped: d.wrapped, context: dataKeyContext(d.project_id, d.mode) })
  }
  for (const [table, kind, context] of [['jwe_keys', 'JWE keys', jweKeyContext], ['webhook_keys', 'webhook keys', webhookKeyContext]] as const) {
    for (const masterKeyId of await masterIds(table)) {
      const k = await db.selectFrom(table).select(['kid', 'private_wrapped']).where('master_key_id', '=', masterKeyId).limit(1).executeTakeFirstOrThrow()
      samples.push({ kind, masterKeyId, wrapped: k.private_wrapped, context: context(k.kid) })
    }
  }
  return samples
}
