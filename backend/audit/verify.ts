// `tessera audit verify`: reads every chain back in order and recomputes it. An event whose
// stored hash is not the hash of its fields was edited; an event whose prev_hash is not the hash
// of the event before it follows a removed, inserted or re-hashed event; a head that records
// more than the chain holds means events were removed from its end.
import fs from 'node:fs'
import path from 'node:path'
import type { Kysely } from 'kysely'
import { SQLITE_FILE } from '../config.js'
import { dialectName, openStore } from '../store/database.js'
import { chainEvents, chainHead, listChains, unplacedEvent, type ChainKey } from '../store/audit.js'
import type { Database } from '../store/schema.js'
import { eventHash, genesisHash } from './chain.js'

export interface ChainSummary extends ChainKey {
  events: number
  head: string
}

export interface ChainFault extends ChainKey {
  /** The first event that does not match (the last one when the tail is missing), if any. */
  id: string | null
  seq: number | null
  problem: 'hash mismatch' | 'broken link' | 'missing tail' | 'missing head' | 'unchained event'
  detail: string
}

export type VerifyResult = { ok: true; chains: ChainSummary[] } | { ok: false; chains: ChainSummary[]; fault: ChainFault }

export async function verifyChains(db: Kysely<Database>, options: { projectId?: string | undefined } = {}): Promise<VerifyResult> {
  const chains: ChainSummary[] = []
  for (const chain of await listChains(db, options.projectId)) {
    const checked = await verifyChain(db, chain)
    if ('problem' in checked) return { ok: false, chains, fault: checked }
    chains.push(checked)
  }
  return { ok: true, chains }
}

async function verifyChain(db: Kysely<Database>, chain: ChainKey): Promise<ChainSummary | ChainFault> {
  let expectedSeq = 1
  let prev = { id: null as string | null, hash: genesisHash(chain.projectId, chain.mode) }
  for await (const row of chainEvents(db, chain)) {
    const at = { ...chain, id: row.id, seq: row.seq }
    if (row.prev_hash !== prev.hash) {
      const missing = row.seq > expectedSeq ? `; events #${expectedSeq}${row.seq - 1 > expectedSeq ? `-#${row.seq - 1}` : ''} are missing before it` : ''
      const before = prev.id ? `the event before it (${prev.id})` : 'the chain start'
      return { ...at, problem: 'broken link', detail: `prev_hash is not the hash of ${before}${missing}` }
    }
    if (eventHash(row) !== row.hash) return { ...at, problem: 'hash mismatch', detail: 'the stored hash is not the hash of the event' }
    if (row.seq !== expectedSeq) return { ...at, problem: 'broken link', detail: `it is #${row.seq} where #${expectedSeq} was expected` }
    prev = { id: row.id, hash: row.hash }
    expectedSeq++
  }
  const events = expectedSeq - 1
  const unplaced = await unplacedEvent(db, chain)
  if (unplaced) return { ...chain, id: unplaced, seq: null, problem: 'unchained event', detail: 'it has no position in the chain' }
  const head = await chainHead(db, chain)
  if (!head) return { ...chain, id: prev.id, seq: events || null, problem: 'missing head', detail: 'the chain has events but no head row' }
  if (head.seq !== events || head.hash !== prev.hash) {
    return { ...chain, id: prev.id, seq: events || null, problem: 'missing tail', detail: `the head records ${head.seq} events ending in ${head.hash.slice(0, 16)}…, the chain holds ${events}` }
  }
  return { ...chain, events, head: head.hash }
}

/** The lines `tessera audit verify` prints, and its exit code. */
export function describeResult(result: VerifyResult): { lines: string[]; exitCode: 0 | 1 } {
  const events = result.chains.reduce((n, c) => n + c.events, 0)
  if (result.ok) {
    return {
      lines: [...result.chains.map((c) => `${c.projectId} ${c.mode}: ${c.events} events, head ${c.head}`), `audit verify: ok, ${result.chains.length} chains, ${events} events: every hash and link matches`],
      exitCode: 0,
    }
  }
  const f = result.fault
  const where = f.id ? `event ${f.id}${f.seq === null ? '' : ` (#${f.seq})`}` : 'chain'
  return { lines: [`audit verify: FAILED at ${where} of project ${f.projectId} mode ${f.mode}: ${f.problem}: ${f.detail}`], exitCode: 1 }
}

export interface AuditVerifyOptions {
  databaseUrl?: string | undefined
  dataDir: string
  projectId?: string | undefined
}

/**
 * The command itself, for whichever CLI parser calls it: opens the store (no master key is
 * needed: the chain holds no card data), verifies, and says what to print and the exit code
 * (0 all chains match, 1 an event does not, 2 nothing to verify: no database or no such project).
 */
export async function auditVerify(options: AuditVerifyOptions): Promise<{ lines: string[]; exitCode: 0 | 1 | 2 }> {
  const sqliteFile = path.join(options.dataDir, SQLITE_FILE)
  if (dialectName({ databaseUrl: options.databaseUrl, sqliteFile }) === 'sqlite' && !fs.existsSync(sqliteFile)) {
    return { lines: [`audit verify: no database at ${sqliteFile} (use --data DIR or DATABASE_URL)`], exitCode: 2 }
  }
  const store = await openStore({ databaseUrl: options.databaseUrl, sqliteFile })
  try {
    if (options.projectId !== undefined && !(await store.db.selectFrom('projects').select('id').where('id', '=', options.projectId).executeTakeFirst())) {
      return { lines: [`audit verify: no project ${options.projectId}`], exitCode: 2 }
    }
    return describeResult(await verifyChains(store.db, { projectId: options.projectId }))
  } finally {
    await store.close()
  }
}
