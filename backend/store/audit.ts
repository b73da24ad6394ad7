// The audit log: who did what to which token, when. It holds no card data.
import crypto from 'node:crypto'
import type { Kysely } from 'kysely'
import type { Database, Mode } from './schema.js'

export interface AuditEntry {
  projectId: string
  mode: Mode
  token: string | null
  action: string
  actor: string
  requestId: string | null
  at: string
}

export async function appendAudit(db: Kysely<Database>, entry: AuditEntry): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      id: 'aud_' + crypto.randomBytes(12).toString('hex'),
      project_id: entry.projectId,
      mode: entry.mode,
      token: entry.token,
      action: entry.action,
      actor: entry.actor,
      request_id: entry.requestId,
      created_at: entry.at,
    })
    .execute()
}
