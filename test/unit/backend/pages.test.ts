import crypto from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { SecretBytes } from '../../../backend/crypto/secret.js'
import { decodeCursor, encodeCursor, parseLimit } from '../../../backend/tokens/pages.js'

const key = new SecretBytes(crypto.randomBytes(32))

describe('cursors and limits', () => {
  it('round-trips a position and refuses it under another scope or key', () => {
    const c = encodeCursor(key, 'p|test|search', { createdAt: '2026-01-01T00:00:00.000Z', token: 'abc' })
    expect(decodeCursor(key, 'p|test|search', c)).toEqual({ createdAt: '2026-01-01T00:00:00.000Z', token: 'abc' })
    expect(() => decodeCursor(key, 'p|live|search', c)).toThrow(/cursor/)
    expect(() => decodeCursor(new SecretBytes(crypto.randomBytes(32)), 'p|test|search', c)).toThrow(/cursor/)
  })

  it('takes limits from 1 to 100 as numbers or digit strings, default 10', () => {
    expect(parseLimit(undefined)).toBe(10)
    expect(parseLimit('25')).toBe(25)
    expect(parseLimit(100)).toBe(100)
    for (const bad of [0, 101, '1e2', '', ' 5', 5.5, null, true]) expect(() => parseLimit(bad)).toThrow()
  })
})
