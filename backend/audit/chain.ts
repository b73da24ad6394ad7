// The audit chain's arithmetic: the event object as the API shows it, its canonical JSON and its
// hash. docs/security.md ("The audit chain") states the same rules for an auditor to recompute.
import crypto from 'node:crypto'
import type { Mode } from '../store/schema.js'

export const AUDIT_TOKEN_ACTIONS = ['token.created', 'token.updated', 'token.extended', 'token.revoked', 'token.expired', 'token.invalidated', 'token.deleted'] as const
export const AUDIT_USE_ACTIONS = ['payment.created', 'payout.created', 'token.verified', 'token.verification_declined'] as const
export const AUDIT_ACTIONS = [...AUDIT_TOKEN_ACTIONS, ...AUDIT_USE_ACTIONS] as const
export type AuditAction = (typeof AUDIT_ACTIONS)[number]

export type AuditActorObject = { type: 'key'; key_id: string } | { type: 'job'; job: string }

export interface AuditEventObject {
  object: 'audit_event'
  id: string
  action: string
  token?: string
  payment?: string
  actor: AuditActorObject
  request_id?: string
  created_at: string
  prev_hash: string
  hash: string
}

/** What a stored row holds of an event (the columns the hash covers). */
export interface AuditEventFields {
  id: string
  action: string
  token: string | null
  payment: string | null
  /** `key:<key id>` or `system:<job>`. */
  actor: string
  request_id: string | null
  created_at: string
  prev_hash: string
}

/** The first event's prev_hash: binds a chain to its project and mode. */
export function genesisHash(projectId: string, mode: Mode): string {
  return sha256Hex(`tessera-audit-genesis|${projectId}|${mode}`)
}

export function actorObject(stored: string): AuditActorObject {
  const colon = stored.indexOf(':')
  const kind = stored.slice(0, colon)
  const name = stored.slice(colon + 1)
  return kind === 'key' ? { type: 'key', key_id: name } : { type: 'job', job: name }
}

/** The event without its hash; absent optional fields are left out (never null). */
export function unhashedEvent(row: AuditEventFields): Omit<AuditEventObject, 'hash'> {
  return {
    object: 'audit_event',
    id: row.id,
    action: row.action,
    ...(row.token !== null ? { token: row.token } : {}),
    ...(row.payment !== null ? { payment: row.payment } : {}),
    actor: actorObject(row.actor),
    ...(row.request_id !== null ? { request_id: row.request_id } : {}),
    created_at: row.created_at,
    prev_hash: row.prev_hash,
  }
}

/**
 * Canonical JSON (RFC 8785 for what an event holds: objects of strings): keys sorted by code
 * unit at every level, no whitespace, strings as JSON.stringify writes them.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value)
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`
}

/** hash = hex SHA-256 of prev_hash followed by the canonical JSON of the event without `hash`. */
export function eventHash(row: AuditEventFields): string {
  return sha256Hex(row.prev_hash + canonicalJson(unhashedEvent(row)))
}

/**
 * The canonical JSON of an event whose prev_hash is not known yet, as the text before and after
 * the prev_hash value (keys are unique and values escaped, so `"prev_hash":""` occurs once).
 */
export function canonicalAround(row: Omit<AuditEventFields, 'prev_hash'>): { before: string; after: string } {
  const json = canonicalJson(unhashedEvent({ ...row, prev_hash: '' }))
  const at = json.indexOf('"prev_hash":""') + '"prev_hash":"'.length
  return { before: json.slice(0, at), after: json.slice(at) }
}

export function presentAuditEvent(row: AuditEventFields & { hash: string }): AuditEventObject {
  return { ...unhashedEvent(row), hash: row.hash }
}

const sha256Hex = (text: string) => crypto.createHash('sha256').update(text, 'utf8').digest('hex')
