// The stored side of a data-key rotation: which data keys a project has, the sealed cards still
// under given keys (walked in token order, a bounded batch at a time), replacing a batch in one
// short transaction, and deleting data keys that nothing uses any more.
import type { Kysely } from 'kysely'
import type { Database, Mode } from './schema.js'

export interface DataKeyScope {
  projectId: string
  mode: Mode
}

export interface SealedRow {
  token: string
  dataKeyId: string
  ciphertext: string
}

/** Every project and mode that has a data key (one project's when `projectId` is given). */
export async function dataKeyScopes(db: Kysely<Database>, projectId?: string): Promise<DataKeyScope[]> {
  let query = db.selectFrom('data_keys').select(['project_id', 'mode']).distinct()
  if (projectId !== undefined) query = query.where('project_id', '=', projectId)
  const rows = await query.orderBy('project_id').orderBy('mode').execute()
  return rows.map((r) => ({ projectId: r.project_id, mode: r.mode }))
}

export async function dataKeyIds(db: Kysely<Database>, scope: DataKeyScope): Promise<string[]> {
  const rows = await db.selectFrom('data_keys').select('id').where('project_id', '=', scope.projectId).where('mode', '=', scope.mode).execute()
  return rows.map((r) => r.id)
}

/** Up to `limit` cards sealed under one of `keyIds`, after token `after` in token order. */
export async function sealedUnder(db: Kysely<Database>, scope: DataKeyScope, keyIds: string[], after: string, limit: number): Promise<SealedRow[]> {
  const rows = await db
    .selectFrom('tokens')
    .select(['token', 'data_key_id', 'card_ciphertext'])
    .where('project_id', '=', scope.projectId)
    .where('mode', '=', scope.mode)
    .where('token', '>', after)
    .where('data_key_id', 'in', keyIds)
    .where('card_ciphertext', 'is not', null)
    .orderBy('token')
    .limit(limit)
    .execute()
  return rows.map((r) => ({ token: r.token, dataKeyId: r.data_key_id as string, ciphertext: r.card_ciphertext as string }))
}

/**
 * Puts re-sealed cards in place in one transaction. A row is replaced only if it still holds
 * what was read, so a concurrent change (an update, a deletion) is never undone; the number of
 * rows replaced is returned.
 */
export async function replaceSealed(db: Kysely<Database>, scope: DataKeyScope, batch: { from: SealedRow; to: SealedRow }[]): Promise<number> {
  return db.transaction().execute(async (trx) => {
    let replaced = 0
    for (const { from, to } of batch) {
      const result = await trx
        .updateTable('tokens')
        .set({ data_key_id: to.dataKeyId, card_ciphertext: to.ciphertext })
        .where('project_id', '=', scope.projectId)
        .where('mode', '=', scope.mode)
        .where('token', '=', from.token)
        .where('data_key_id', '=', from.dataKeyId)
        .where('card_ciphertext', '=', from.ciphertext)
        .executeTakeFirst()
      replaced += Number(result.numUpdatedRows)
    }
    return replaced
  })
}

/**
 * Deletes those of `keyIds` that no token uses, nor a payment waiting for 3-D Secure (its card
 * sealed in payment_actions for at most 15 minutes; checked in the same statement); returns them.
 */
export async function deleteUnusedDataKeys(db: Kysely<Database>, keyIds: string[]): Promise<string[]> {
  if (keyIds.length === 0) return []
  await db
    .deleteFrom('data_keys')
    .where('id', 'in', keyIds)
    .where(({ not, exists, selectFrom }) => not(exists(selectFrom('tokens').select('token').whereRef('tokens.data_key_id', '=', 'data_keys.id'))))
    .where(({ not, exists, selectFrom }) => not(exists(selectFrom('payment_actions').select('payment_id').whereRef('payment_actions.card_data_key_id', '=', 'data_keys.id'))))
    .execute()
  const left = await db.selectFrom('data_keys').select('id').where('id', 'in', keyIds).execute()
  return keyIds.filter((id) => !left.some((l) => l.id === id))
}
