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

  it('refuses malformed cursors with invalid_cursor, never another error', () => {
    const c = encodeCursor(key, 's', { createdAt: '2026-01-01T00:00:00.000Z', token: 'abc' })
    const [body, mac] = c.split('.') as [string, string]
    const unsigned = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url')
    const bad = [
      `${body}.${'\u00e9'.repeat(22)}`,
      `${body}.${mac.slice(0, 21)}\u00e9`,
      `${body}.${mac.slice(0, 21)}`,
      `${body}.${mac}A`,
      c.slice(0, 10),
      `${body}.${mac}.x`,
      `.${mac}`,
      `${unsigned({ a: 1 })}.${mac}`,
      '',
      42,
      null,
    ]
    for (const cursor of bad) expect(() => decodeCursor(key, 's', cursor), JSON.stringify(cursor)).toThrow(expect.objectContaining({ code: 'invalid_cursor' }))
    // Signed but not a position: refused too (the key is the list's own).
    for (const position of ['x', [1, 2], ['a'], { a: 1 }]) {
      const b = unsigned(position)
      const forged = `${b}.${crypto.createHmac('sha256', key.expose()).update(`cursor|s|${b}`).digest('base64url').slice(0, 22)}`
      expect(() => decodeCursor(key, 's', forged)).toThrow(expect.objectContaining({ code: 'invalid_cursor' }))
    }
    const junk = `${Buffer.from('not json').toString('base64url')}`
    expect(() => decodeCursor(key, 's', `${junk}.${crypto.createHmac('sha256', key.expose()).update(`cursor|s|${junk}`).digest('base64url').slice(0, 22)}`)).toThrow(expect.objectContaining({ code: 'invalid_cursor' }))
  })

  it('takes limits from 1 to 100 as numbers or digit strings, default 10', () => {
    expect(parseLimit(undefined)).toBe(10)
    expect(parseLimit('25')).toBe(25)
    expect(parseLimit(100)).toBe(100)
    for (const bad of [0, 101, '1e2', '', ' 5', 5.5, null, true]) expect(() => parseLimit(bad)).toThrow()
  })
})
