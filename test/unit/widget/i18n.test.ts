// Every language of the card frame and of the element says everything English says.
import { describe, expect, it } from 'vitest'
import { ELEMENT_TEXTS } from '../../../widget/element/texts.js'
import { THREE_D_SECURE_TEXTS } from '../../../widget/three-d-secure/texts.js'
import { en, loadMessages } from '../../../widget/frame/i18n/index.js'
import { LOCALES, resolveLocale } from '../../../widget/protocol.js'

/** Every leaf of a texts object as `path: kind`, so two languages' shapes can be compared. */
function leaves(value: unknown, path = ''): string[] {
  if (typeof value === 'function') return [`${path}: function`]
  if (typeof value === 'string') return [`${path}: string`]
  return Object.entries(value as object).flatMap(([key, child]) => leaves(child, path ? `${path}.${key}` : key))
}

function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value]
  if (typeof value === 'function') return [(value as (...a: string[]) => string)('Visa', '4242', '12/30')]
  return Object.values(value as object).flatMap(strings)
}

describe('frame languages', () => {
  it('offers en, ro, de, fr, es, it, pl and nl', () => {
    expect([...LOCALES].sort()).toEqual(['de', 'en', 'es', 'fr', 'it', 'nl', 'pl', 'ro'])
  })

  it.each(LOCALES.filter((l) => l !== 'en'))('%s has every key of en, each a non-empty text of its own', async (locale) => {
    const messages = await loadMessages(locale)
    expect(messages.lang).toBe(locale)
    expect(leaves(messages).sort()).toEqual(leaves(en).sort())
    for (const text of strings(messages)) expect(text.trim().length).toBeGreaterThan(0)
    // Translated, not copied: the labels and the error texts differ from English.
    expect(messages.labels.number).not.toBe(en.labels.number)
    for (const [code, text] of Object.entries(messages.errors)) expect(text, code).not.toBe((en.errors as Record<string, string>)[code])
    expect(messages.saved.describe('Visa', '4242', '12/30')).toContain('4242')
  })

  it.each(LOCALES)('the element has its own %s texts', (locale) => {
    expect(Object.keys(ELEMENT_TEXTS[locale]).sort()).toEqual(Object.keys(ELEMENT_TEXTS.en).sort())
    if (locale !== 'en') expect(ELEMENT_TEXTS[locale].unavailable).not.toBe(ELEMENT_TEXTS.en.unavailable)
    expect(Object.keys(THREE_D_SECURE_TEXTS[locale]).sort()).toEqual(Object.keys(THREE_D_SECURE_TEXTS.en).sort())
    for (const text of Object.values(THREE_D_SECURE_TEXTS[locale])) expect(text.trim().length).toBeGreaterThan(0)
    if (locale !== 'en') expect(THREE_D_SECURE_TEXTS[locale].title).not.toBe(THREE_D_SECURE_TEXTS.en.title)
  })

  it('picks a language from a BCP 47 tag, English otherwise', () => {
    expect(resolveLocale('de-AT')).toBe('de')
    expect(resolveLocale('pl_PL')).toBe('pl')
    expect(resolveLocale('NL')).toBe('nl')
    expect(resolveLocale('pt-BR')).toBe('en')
    expect(resolveLocale('')).toBe('en')
  })
})
