// What happened to a token, told to whoever records it (the audit log; the webhook outbox)
// inside the same transaction as the change.
import type { Kysely } from 'kysely'
import type { Database, TokenRow } from '../store/schema.js'
import type { AuditAction } from '../audit/chain.js'
import { appendAudit, type AuditActor } from '../store/audit.js'

export type TokenChangeType = 'token.created' | 'token.updated' | 'token.revoked' | 'token.expired' | 'token.invalidated' | 'token.deleted'

/** Who made a change: an API key during a request, or a job. */
export type Actor = AuditActor

export interface TokenChange {
  type: TokenChangeType
  row: TokenRow
  actor: Actor
  at: Date
  /** The audit chain's name for it when more precise than `type` (an extension, a verification). */
  auditAction?: AuditAction | undefined
}

export interface ChangeRecorder {
  record(db: Kysely<Database>, change: TokenChange): Promise<void>
}

/** Appends the change to the project's audit chain (backend/store/audit.ts), in its transaction. */
export const auditRecorder: ChangeRecorder = {
  async record(db, { type, row, actor, at, auditAction }) {
    await appendAudit(db, { projectId: row.project_id, mode: row.mode, token: row.token, action: auditAction ?? type, actor, at })
  },
}

/** Several recorders, each called in order within the transaction. */
export function recorders(...all: ChangeRecorder[]): ChangeRecorder {
  return {
    async record(db, change) {
      for (const r of all) await r.record(db, change)
    },
  }
}
