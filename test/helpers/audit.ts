// The audit chain as an auditor sees it: every event through GET /v1/audit-events, the chain
// recomputed from docs/security.md's rule (written here again, not imported from the vault),
// and `tessera audit verify` run as a process against a test vault's database.
import crypto from 'node:crypto'
import { expect } from 'vitest'
import type { Api } from './api.js'
import { runTessera, type Finished } from './processes.js'
import type { TestVault } from './vault.js'

const sha256 = (text: string) => crypto.createHash('sha256').update(text, 'utf8').digest('hex')

/** Sorted keys at every level, no whitespace: the canonical JSON of docs/security.md. */
export function canonical(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value)
  const keys = Object.keys(value as object).sort()
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`).join(',')}}`
}

export const genesis = (projectId: string, mode: string) => sha256(`tessera-audit-genesis|${projectId}|${mode}`)

/** Every event of the key's chain, oldest first, read page by page. */
export async function allAuditEvents(call: Api, key: string, query = ''): Promise<any[]> {
  const events: any[] = []
  let cursor: string | null = null
  do {
    const res: any = await call('GET', `/v1/audit-events?limit=100${query}${cursor ? `&cursor=${cursor}` : ''}`, { key })
    expect(res.status, JSON.stringify(res.body)).toBe(200)
    events.push(...res.body.data)
    cursor = res.body.next_cursor
  } while (cursor)
  return events.reverse()
}

/** Checks every link and hash as an auditor would; returns the chain. */
export function expectValidChain(events: any[], projectId: string, mode: string): void {
  let prev = genesis(projectId, mode)
  for (const event of events) {
    const { hash, ...rest } = event
    expect(event.prev_hash, `link of ${event.id}`).toBe(prev)
    expect(sha256(event.prev_hash + canonical(rest)), `hash of ${event.id}`).toBe(hash)
    prev = hash
  }
}

/** `tessera audit verify` against the test vault's own database (SQLite folder or PostgreSQL). */
export function auditVerify(vault: TestVault, args: string[] = []): Promise<Finished> {
  const databaseUrl = vault.running.vault.config.databaseUrl
  return runTessera(['audit', 'verify', '--data', vault.dataDir, ...args], databaseUrl ? { DATABASE_URL: databaseUrl } : { DATABASE_URL: '' })
}
