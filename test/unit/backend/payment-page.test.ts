// The payment page's pure parts: where it sends the shopper back, which language it speaks, how
// it writes amounts, when it reads as expired, and that every card-field language has its texts.
import { describe, expect, it } from 'vitest'
import { backUrl, isPageId, newPageId, statusOf } from '../../../backend/payment-pages/page.js'
import { escapeHtml, pageLocale } from '../../../backend/payment-pages/render.js'
import type { StoredPaymentPage } from '../../../backend/store/payment-pages.js'
import { formatAmount, PAGE_TEXTS } from '../../../widget/pay/texts.js'
import { LOCALES } from '../../../widget/protocol.js'

describe('backUrl', () => {
  it.each([
    ['https://shop.example/return', 'https://shop.example/return?payment_page=pp_1'],
    ['https://shop.example/r?order=42', 'https://shop.example/r?order=42&payment_page=pp_1'],
    ['https://shop.example/r?payment_page=forged', 'https://shop.example/r?payment_page=pp_1'],
    ['https://shop.example/r#done', 'https://shop.example/r?payment_page=pp_1#done'],
  ])('%s → %s', (base, expected) => expect(backUrl(base, 'pp_1')).toBe(expected))
})

describe('pageLocale', () => {
  it.each([
    ['ro', undefined, 'ro'],
    [null, 'ro-RO,ro;q=0.9,en;q=0.8', 'ro'],
    [null, 'de-DE,de;q=0.9', 'de'],
    [null, 'ja-JP,ja;q=0.9', 'en'],
    [null, undefined, 'en'],
    ['en', 'ro-RO', 'en'],
  ] as const)('configured %s, Accept-Language %s → %s', (configured, header, expected) => expect(pageLocale(configured, header)).toBe(expected))
})

describe('formatAmount', () => {
  it.each([
    [4990, 'EUR', 'en', '€49.90'],
    [500, 'JPY', 'en', '¥500'],
    [1234, 'KWD', 'en', 'KWD 1.234'],
  ] as const)('%d %s in %s', (amount, currency, locale, expected) => expect(formatAmount(amount, currency, locale).replace(/\u00a0/g, ' ')).toBe(expected))

  it('writes Romanian amounts with a decimal comma', () => expect(formatAmount(12345, 'RON', 'ro')).toMatch(/^123,45\sRON$/))
})

describe('page ids and status', () => {
  it('makes 192-bit ids it recognises, and recognises nothing else', () => {
    const ids = new Set(Array.from({ length: 100 }, newPageId))
    expect(ids.size).toBe(100)
    for (const id of ids) expect(isPageId(id)).toBe(true)
    for (const bad of ['pp_', 'pp_short', 'pay_' + 'a'.repeat(32), `pp_${'a'.repeat(31)}/`]) expect(isPageId(bad)).toBe(false)
  })

  it('reads an open page past its expiry as expired, and leaves ended pages as they ended', () => {
    const page = { status: 'open', expires_at: '2030-01-01T00:30:00.000Z', locked_until: null } as StoredPaymentPage
    expect(statusOf(page, new Date('2030-01-01T00:29:59.999Z'))).toBe('open')
    expect(statusOf(page, new Date('2030-01-01T00:30:00.000Z'))).toBe('expired')
    expect(statusOf({ ...page, status: 'completed' }, new Date('2031-01-01T00:00:00Z'))).toBe('completed')
    // A try started in time (a 3-D Secure challenge) keeps the page open while it holds it.
    const trying = { ...page, locked_until: '2030-01-01T00:40:00.000Z' }
    expect(statusOf(trying, new Date('2030-01-01T00:35:00.000Z'))).toBe('open')
    expect(statusOf(trying, new Date('2030-01-01T00:40:00.000Z'))).toBe('expired')
  })
})

describe('texts', () => {
  it('has every language the card field speaks', () => expect(Object.keys(PAGE_TEXTS).sort()).toEqual([...LOCALES].sort()))
  it('escapes what a merchant name could smuggle into the page', () => expect(escapeHtml(`<img src=x onerror="a">&'`)).toBe('&lt;img src=x onerror=&quot;a&quot;&gt;&amp;&#39;'))
})
