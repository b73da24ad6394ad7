// The audit hash rule of docs/security.md, on the worked example printed there: an auditor's
// recomputation (here with node:crypto and the documented canonical form) gives the same hash.
import crypto from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { canonicalAround, canonicalJson, eventHash, genesisHash, presentAuditEvent, unhashedEvent } from '../../../backend/audit/chain.js'

const sha256 = (text: string) => crypto.createHash('sha256').update(text, 'utf8').digest('hex')

// The worked example in docs/security.md ("The audit chain").
const GENESIS = '42d11326c23dabee53d17d3500f2839f017a4853f64b0dfc12157ac527ac6e8e'
const CANONICAL =
  '{"action":"payment.created","actor":{"key_id":"key_example","type":"key"},"created_at":"2026-01-01T00:00:00.000Z","id":"aud_000000000000000000000001","object":"audit_event","payment":"pay_000000000000000000000001","prev_hash":"42d11326c23dabee53d17d3500f2839f017a4853f64b0dfc12157ac527ac6e8e","request_id":"req_000000000000000000000001","token":"tok_example"}'
const HASH = 'dc2c3ac5cac332cb263f854b135f8b1a17aac514f1eecee84b61cde3fd91e930'
const row = { id: 'aud_000000000000000000000001', action: 'payment.created', token: 'tok_example', payment: 'pay_000000000000000000000001', actor: 'key:key_example', request_id: 'req_000000000000000000000001', created_at: '2026-01-01T00:00:00.000Z', prev_hash: GENESIS }

describe('the audit hash rule', () => {
  it('matches the documented example: genesis, canonical JSON and hash', () => {
    expect(genesisHash('proj_example', 'test')).toBe(GENESIS)
    expect(sha256('tessera-audit-genesis|proj_example|test')).toBe(GENESIS)
    expect(canonicalJson(unhashedEvent(row))).toBe(CANONICAL)
    expect(eventHash(row)).toBe(HASH)
    expect(sha256(GENESIS + CANONICAL)).toBe(HASH)
  })

  it('binds the genesis to the project and the mode', () => {
    expect(new Set([genesisHash('proj_a', 'test'), genesisHash('proj_a', 'live'), genesisHash('proj_b', 'test')]).size).toBe(3)
  })

  it('leaves absent fields out, maps job actors, and changes with any field', () => {
    const job = { ...row, token: 'tok_x', payment: null, request_id: null, actor: 'system:expiry' }
    expect(presentAuditEvent({ ...job, hash: 'h' })).toEqual({ object: 'audit_event', id: row.id, action: row.action, token: 'tok_x', actor: { type: 'job', job: 'expiry' }, created_at: row.created_at, prev_hash: GENESIS, hash: 'h' })
    for (const [key, value] of Object.entries({ id: 'aud_2', action: 'token.deleted', token: 'tok_other', payment: 'pay_2', actor: 'key:key_other', request_id: 'req_2', created_at: '2026-01-01T00:00:00.001Z', prev_hash: 'f'.repeat(64) })) {
      expect(eventHash({ ...row, [key]: value }), key).not.toBe(HASH)
    }
  })

  it('escapes strings as JSON.stringify does and sorts keys by code unit', () => {
    expect(canonicalJson({ b: 'a"\\\n\u0001é', a: { d: '1', C: '2' } })).toBe('{"a":{"C":"2","d":"1"},"b":"a\\"\\\\\\n\\u0001é"}')
  })

  it('splits the canonical JSON around prev_hash for the database to hash', () => {
    const { before, after } = canonicalAround(row)
    expect(before + GENESIS + after).toBe(CANONICAL)
  })
})
