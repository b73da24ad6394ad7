// Token rows: look-ups by value, by account (fingerprint) and keyset pages.
import type { Kysely } from 'kysely'
import { affectedOutcome, isUniqueViolation, type WriteOutcome } from './outcome.js'
import { prepared, preparedRead } from './prepared.js'
import type { Database, Mode, NewToken, TokenRow, TokenStatus, TokenUpdate } from './schema.js'

export interface TokenKey {
  projectId: string
  mode: Mode
  token: string
}

export interface TokenFilter {
  projectId: string
  mode: Mode
  customerId?: string | undefined
  statuses?: TokenStatus[] | undefined
  fingerprint?: string | undefined
  updatedSince?: string | undefined
  token?: string | undefined
}

/** Position after which the next page starts (newest first). */
export interface PagePosition {
  createdAt: string
  token: string
}

const selectToken = preparedRead((db, key: TokenKey) => db.selectFrom('tokens').selectAll().where('project_id', '=', key.projectId).where('mode', '=', key.mode).where('token', '=', key.token))

export async function findToken(db: Kysely<Database>, key: TokenKey): Promise<TokenRow | undefined> {
  return (await selectToken(db, { projectId: key.projectId, mode: key.mode, token: key.token })).rows[0]
}

export async function findByAccount(db: Kysely<Database>, projectId: string, mode: Mode, fingerprint: string): Promise<TokenRow | undefined> {
  return db
    .selectFrom('tokens')
    .selectAll()
    .where('project_id', '=', projectId)
    .where('mode', '=', mode)
    .where('account_key', '=', fingerprint)
    .executeTakeFirst()
}

/** Inserts a token; `conflict` when its value or its account (unique-account projects) is taken. */
const insertTokenRow = prepared((db, row: NewToken) => db.insertInto('tokens').values(row).onConflict((oc) => oc.doNothing()))

export async function insertToken(db: Kysely<Database>, row: NewToken): Promise<WriteOutcome> {
  return affectedOutcome(await insertTokenRow(db, row))
}

/** Stores a card anew on a deleted token's row; `conflict` when its account was taken meanwhile. */
export async function reviveToken(db: Kysely<Database>, key: TokenKey, row: TokenUpdate): Promise<TokenRow | 'conflict'> {
  try {
    return await updateToken(db, key, row)
  } catch (error) {
    if (isUniqueViolation(error)) return 'conflict'
    throw error
  }
}

export async function updateToken(db: Kysely<Database>, key: TokenKey, patch: TokenUpdate): Promise<TokenRow> {
  await db
    .updateTable('tokens')
    .set(patch)
    .where('project_id', '=', key.projectId)
    .where('mode', '=', key.mode)
    .where('token', '=', key.token)
    .execute()
  return (await findToken(db, key)) as TokenRow
}

/** One page of tokens, newest first, never deleted ones. Reads `limit + 1` rows to know if more follow. */
export async function listTokens(db: Kysely<Database>, filter: TokenFilter, limit: number, after?: PagePosition): Promise<TokenRow[]> {
  let query = db
    .selectFrom('tokens')
    .selectAll()
    .where('project_id', '=', filter.projectId)
    .where('mode', '=', filter.mode)
    .where('status', '!=', 'deleted')
  if (filter.customerId !== undefined) query = query.where('customer_id', '=', filter.customerId)
  if (filter.statuses?.length) query = query.where('status', 'in', filter.statuses)
  if (filter.fingerprint !== undefined) query = query.where('fingerprint', '=', filter.fingerprint)
  if (filter.token !== undefined) query = query.where('token', '=', filter.token)
  if (filter.updatedSince !== undefined) query = query.where('updated_at', '>=', filter.updatedSince)
  if (after) {
    query = query.where((eb) =>
      eb.or([eb('created_at', '<', after.createdAt), eb.and([eb('created_at', '=', after.createdAt), eb('token', '<', after.token)])]),
    )
  }
  return query.orderBy('created_at', 'desc').orderBy('token', 'desc').limit(limit + 1).execute()
}
