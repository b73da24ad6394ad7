import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { ERROR_CODES, ERROR_TYPES, isErrorCode } from '../../../common/error-codes.js'
import { en } from '../../../widget/frame/i18n/en.js'
import { ERROR_DOC, withTable } from '../../../scripts/error-table.js'

describe('the closed set of error codes', () => {
  it('is documented in docs/errors.md exactly as common/error-codes.ts lists it', () => {
    const doc = readFileSync(ERROR_DOC, 'utf8')
    expect(doc, 'run `npx tsx scripts/error-table.ts`').toBe(withTable(doc))
    for (const code of Object.keys(ERROR_CODES)) expect(doc).toContain(`| \`${code}\` |`)
  })

  it('gives every code one of the documented error types', () => {
    for (const info of Object.values(ERROR_CODES)) expect(ERROR_TYPES).toContain(info.type)
  })

  it('covers every error the card frame has a shopper message for', () => {
    for (const code of Object.keys(en.errors)) expect(isErrorCode(code), code).toBe(true)
  })

  it('tells codes from other strings', () => {
    expect(isErrorCode('token_not_found')).toBe(true)
    expect(isErrorCode('token_not_fuond')).toBe(false)
    expect(isErrorCode('toString')).toBe(false)
    expect(isErrorCode(42)).toBe(false)
  })
})
