import { describe, expect, it } from 'vitest'
import { applySeparatorDeletion, formatCvc, formatExpiry, formatName, formatNumber, type Edit } from '../../../widget/frame/format.js'

/** `|` marks the caret: "4242|" is the value "4242" with the caret at 4. */
const edit = (marked: string): Edit => ({ value: marked.replace('|', ''), caret: marked.indexOf('|') })
const show = (e: Edit): string => e.value.slice(0, e.caret) + '|' + e.value.slice(e.caret)

/** What an input does after a keystroke: the delete rule for separators, then the formatter. */
function afterInput(previous: string, typed: string, inputType: string, format: (e: Edit) => Edit): string {
  return show(format(applySeparatorDeletion(previous, edit(typed), inputType)))
}

describe('card number formatting', () => {
  it.each([
    ['4242424242424242|', '4242 4242 4242 4242|'],
    ['378282246310005|', '3782 822463 10005|'],
    ['36227206271667|', '3622 720627 1667|'],
    ['5555-5555-5555-4444|', '5555 5555 5555 4444|'],
    ['42|', '42|'],
  ])('groups %s by the brand as %s', (input, expected) => {
    expect(show(formatNumber(edit(input)))).toBe(expected)
  })

  it('stops at the longest length of the brand', () => {
    expect(formatNumber(edit('3782822463100051234|')).value).toBe('3782 822463 10005')
    expect(formatNumber(edit('42424242424242424242424|')).value).toBe('4242 4242 4242 4242 424')
  })

  it('keeps the caret after the digit it followed when a space is inserted before it', () => {
    expect(afterInput('4242', '42424|', 'insertText', formatNumber)).toBe('4242 4|')
  })

  it('keeps the caret after a digit typed in the middle, as groups shift', () => {
    expect(afterInput('4242 4242', '4242 1|4242', 'insertText', formatNumber)).toBe('4242 1|424 2')
    expect(afterInput('4242 4242', '42421| 4242', 'insertText', formatNumber)).toBe('4242 1|424 2')
  })

  it('deletes the digit before a space when backspace removes only the space', () => {
    expect(afterInput('4242 4242', '4242|4242', 'deleteContentBackward', formatNumber)).toBe('424|4 242')
  })

  it('deletes the digit after a space when delete removes only the space', () => {
    expect(afterInput('4242 4242', '4242|4242', 'deleteContentForward', formatNumber)).toBe('4242| 242')
  })

  it('leaves an ordinary backspace alone', () => {
    expect(afterInput('4242 4242', '4242 424|', 'deleteContentBackward', formatNumber)).toBe('4242 424|')
  })

  it('takes a pasted number with spaces and dashes', () => {
    expect(afterInput('', '4242 4242-4242 4242|', 'insertFromPaste', formatNumber)).toBe('4242 4242 4242 4242|')
  })
})

describe('expiry formatting', () => {
  it.each([
    ['1|', '1|'],
    ['0|', '0|'],
    ['12|', '12 / |'],
    ['4|', '04 / |'],
    ['13|', '13 / |'],
    ['1320|', '13 / 20|'],
    ['19|', '19 / |'],
    ['00|', '00 / |'],
    ['123|', '12 / 3|'],
    ['1230|', '12 / 30|'],
    ['12305|', '12 / 30|'],
    ['12/30|', '12 / 30|'],
    ['12 / 30|', '12 / 30|'],
    ['1/30|', '01 / 30|'],
    ['1/|', '01 / |'],
    ['12/2030|', '12 / 30|'],
    ['122030|', '12 / 30|'],
  ])('formats %s as %s', (input, expected) => {
    expect(show(formatExpiry(edit(input)))).toBe(expected)
  })

  it('backspace over the separator removes the month digit before it', () => {
    expect(afterInput('12 / ', '12 /|', 'deleteContentBackward', formatExpiry)).toBe('1|')
    expect(afterInput('04 / ', '04 /|', 'deleteContentBackward', formatExpiry)).toBe('0|')
  })

  it('backspace of the first year digit leaves the month and separator', () => {
    expect(afterInput('12 / 3', '12 / |', 'deleteContentBackward', formatExpiry)).toBe('12 / |')
  })

  it('keeps a caret in the middle after the same digit', () => {
    expect(show(formatExpiry(edit('12 / 3|0')))).toBe('12 / 3|0')
  })
})

describe('CVC and name', () => {
  it('keeps digits only, up to the brand length', () => {
    expect(show(formatCvc(edit('1a2 3|')))).toBe('123|')
    expect(formatCvc(edit('12345|'), 3).value).toBe('123')
    expect(formatCvc(edit('12345|'), 4).value).toBe('1234')
  })

  it('strips control characters and caps the name at 64 characters', () => {
    expect(show(formatName(edit('Paul\u0007 Smith|')))).toBe('Paul Smith|')
    expect(show(formatName(edit('Pa\u0000|ul')))).toBe('Pa|ul')
    expect(formatName(edit('x'.repeat(80) + '|')).value).toHaveLength(64)
  })
})
