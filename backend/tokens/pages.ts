// Cursor pages for lists: the cursor is opaque to callers and signed, so a forged or
// another project's cursor is refused rather than silently followed.
import crypto from 'node:crypto'
import type { SecretBytes } from '../crypto/secret.js'
import { InvalidRequestError } from '../errors.js'
import type { PagePosition } from '../store/tokens.js'

export const PAGE_LIMITS = { default: 10, max: 100 } as const

export interface Page<T> {
  object: 'list'
  data: T[]
  has_more: boolean
  next_cursor: string | null
}

export function parseLimit(raw: unknown): number {
  if (raw === undefined) return PAGE_LIMITS.default
  const n = typeof raw === 'string' && /^\d{1,3}$/.test(raw) ? Number(raw) : raw
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > PAGE_LIMITS.max) {
    throw new InvalidRequestError('invalid_limit', `limit must be an integer from 1 to ${PAGE_LIMITS.max}.`, 'limit')
  }
  return n
}

const sign = (key: SecretBytes, scope: string, body: string) => crypto.createHmac('sha256', key.expose()).update(`cursor|${scope}|${body}`).digest('base64url').slice(0, 22)

export function encodeCursor(key: SecretBytes, scope: string, position: PagePosition): string {
  const body = Buffer.from(JSON.stringify([position.createdAt, position.token])).toString('base64url')
  return `${body}.${sign(key, scope, body)}`
}

/** A cursor as this vault writes it: a base64url body, a dot, a 22-character base64url MAC. */
const CURSOR_SHAPE = /^[A-Za-z0-9_-]{1,480}\.[A-Za-z0-9_-]{22}$/

/**
 * Reads a cursor back; anything this vault did not issue for this list (malformed, truncated,
 * non-ASCII, forged, another list's or another project's) is a 400 `invalid_cursor`, never a 500.
 */
export function decodeCursor(key: SecretBytes, scope: string, cursor: unknown): PagePosition | undefined {
  if (cursor === undefined) return undefined
  const invalid = () => new InvalidRequestError('invalid_cursor', 'The cursor is not one this vault issued for this list.', 'cursor')
  // The shape check comes first: it makes both MACs 22 ASCII bytes, as timingSafeEqual needs.
  if (typeof cursor !== 'string' || !CURSOR_SHAPE.test(cursor)) throw invalid()
  const [body, mac] = cursor.split('.') as [string, string]
  if (!crypto.timingSafeEqual(Buffer.from(mac, 'latin1'), Buffer.from(sign(key, scope, body), 'latin1'))) throw invalid()
  let position: unknown
  try {
    position = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'))
  } catch {
    throw invalid()
  }
  // A signed cursor is ours; the check still guards against a key shared with another encoder.
  if (!Array.isArray(position) || position.length !== 2 || !position.every((p) => typeof p === 'string')) throw invalid()
  const [createdAt, token] = position as [string, string]
  return { createdAt, token }
}

/** The scope a list's cursors are signed for: its project, mode, kind and filters, so a cursor only continues the list it came from. */
export const cursorScope = (projectId: string, mode: string, list: string, filters: unknown[]) => `${projectId}|${mode}|${list}|${JSON.stringify(filters)}`

/** Cuts the `limit + 1` rows a query read into a page. */
export function toPage<R extends { created_at: string; token: string }, T>(rows: R[], limit: number, present: (row: R) => T, cursorFor: (p: PagePosition) => string): Page<T> {
  const hasMore = rows.length > limit
  const pageRows = rows.slice(0, limit)
  const last = pageRows[pageRows.length - 1]
  return {
    object: 'list',
    data: pageRows.map(present),
    has_more: hasMore,
    next_cursor: hasMore && last ? cursorFor({ createdAt: last.created_at, token: last.token }) : null,
  }
}
