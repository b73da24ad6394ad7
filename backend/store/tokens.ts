// Token rows: look-ups by value, by account (fingerprint) and keyset pages.
import type { Kysely } from 'kysely'
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

export async function findToken(db: Kysely<Database>, key: TokenKey): Promise<TokenRow | undefined> {
  return db
    .selectFrom('tokens')
    .selectAll()
    .where('project_id', '=', key.projectId)
    .where('mode', '=', key.mode)
    .where('token', '=', key.token)
    .executeTakeFirst()
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

export async function insertToken(db: Kysely<Database>, row: NewToken): Promise<void> {
  await db.insertInto('tokens').values(row).execute()
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
