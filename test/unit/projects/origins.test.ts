// Allowed origins: normalised to scheme, host and port; anything else refused; live mode
// counts https and loopback origins only.
import { describe, expect, it } from 'vitest'
import { normalizeOrigin, normalizeOrigins, originsForMode } from '../../../backend/projects/origins.js'

describe('normalizeOrigin', () => {
  it.each([
    ['https://shop.example', 'https://shop.example'],
    ['https://shop.example/', 'https://shop.example'],
    ['HTTPS://Shop.EXAMPLE', 'https://shop.example'],
    ['https://shop.example:443', 'https://shop.example'],
    ['http://localhost:3000/', 'http://localhost:3000'],
    ['https://shop.example:8443', 'https://shop.example:8443'],
    ['http://[::1]:3000', 'http://[::1]:3000'],
  ])('%s → %s', (input, expected) => expect(normalizeOrigin(input)).toBe(expected))

  it.each(['shop.example', 'https://shop.example/checkout', 'https://shop.example/?a=1', 'https://shop.example/#x', 'https://shop.example?', 'https://u:p@shop.example', 'ftp://shop.example', 'javascript:alert(1)', 'null', '', 'https://' + 'a'.repeat(3000) + '.example'])('refuses %s', (input) => expect(normalizeOrigin(input)).toBeNull())
})

describe('normalizeOrigins', () => {
  it('drops duplicates after normalising, and refuses empty or oversized lists', () => {
    expect(normalizeOrigins(['https://a.example/', 'HTTPS://A.example'])).toEqual(['https://a.example'])
    expect(() => normalizeOrigins([])).toThrow(/at least one/)
    expect(() => normalizeOrigins(Array.from({ length: 21 }, (_, i) => `https://s${i}.example`))).toThrow(/At most 20/)
    expect(() => normalizeOrigins(['https://a.example', 'https://b.example/x'])).toThrow(/not an origin/)
  })
})

describe('originsForMode', () => {
  it('keeps every origin in test mode and only https and loopback ones in live mode', () => {
    const project = { allowedOrigins: ['http://shop.test', 'https://shop.example', 'http://localhost:3000', 'http://127.0.0.1:3000', 'http://[::1]:3000'] }
    expect(originsForMode(project, 'test')).toEqual(project.allowedOrigins)
    expect(originsForMode(project, 'live')).toEqual(['https://shop.example', 'http://localhost:3000', 'http://127.0.0.1:3000', 'http://[::1]:3000'])
  })
})
