import { describe, expect, it } from 'vitest'
import {
  createNonce,
  parseConnect,
  parseFatal,
  parseFrameMessage,
  parseHello,
  parseHostMessage,
  PROTOCOL_VERSION,
  resolveLocale,
  sanitizeStyle,
  sanitizeStyleValue,
} from '../../../widget/protocol.js'

const nonce = createNonce()
const state = { complete: false, empty: true, brand: 'unknown', savedCard: false, errors: {} }

describe('handshake messages', () => {
  it('accepts a hello and a connect of this version with a nonce', () => {
    expect(parseHello({ tessera: PROTOCOL_VERSION, type: 'hello', nonce })).toEqual({ tessera: 1, type: 'hello', nonce })
    expect(parseConnect({ tessera: PROTOCOL_VERSION, type: 'connect', nonce })).not.toBeNull()
    expect(parseFatal({ tessera: 1, type: 'fatal', nonce, error: { type: 'permission_error', code: 'frame_unavailable', message: 'no' } })).not.toBeNull()
  })

  it.each([
    ['another version', { tessera: 2, type: 'hello', nonce }],
    ['no version', { type: 'hello', nonce }],
    ['a short nonce', { tessera: 1, type: 'hello', nonce: 'abc' }],
    ['a nonce with markup', { tessera: 1, type: 'hello', nonce: '<script>alert(1)</script>' }],
    ['an extra field', { tessera: 1, type: 'hello', nonce, port: 1 }],
    ['a configuration of another shape', { tessera: 1, type: 'hello', nonce, configure: { type: 'configure', locale: 'xx', disabled: false, customerSession: null, style: {} } }],
    ['a string', 'hello'],
    ['null', null],
  ])('ignores a hello with %s', (_, data) => {
    expect(parseHello(data)).toBeNull()
  })

  it('accepts a hello carrying the first configuration, its styles sanitised like a port message', () => {
    const configure = { type: 'configure', locale: 'de', disabled: false, customerSession: null, style: { '--tessera-color': 'red', '--tessera-background': 'url(x)' } }
    expect(parseHello({ tessera: 1, type: 'hello', nonce, configure })).toEqual({
      tessera: 1,
      type: 'hello',
      nonce,
      configure: { type: 'configure', locale: 'de', disabled: false, customerSession: null, layout: 'stacked', style: { '--tessera-color': 'red' } },
    })
  })

  it('makes nonces that differ and pass their own check', () => {
    expect(createNonce()).not.toBe(createNonce())
    expect(createNonce()).toMatch(/^[A-Za-z0-9_-]{24}$/)
  })
})

describe('host → frame messages', () => {
  it('accepts each message type', () => {
    expect(parseHostMessage({ type: 'tokenize', id: 1 })).toEqual({ type: 'tokenize', id: 1 })
    expect(parseHostMessage({ type: 'tokenize', id: 2 })).not.toBeNull()
    expect(parseHostMessage({ type: 'focus', field: 'number' })).not.toBeNull()
    expect(parseHostMessage({ type: 'clear' })).not.toBeNull()
  })

  it('sanitises the styles of a configure message on arrival', () => {
    const message = parseHostMessage({
      type: 'configure',
      locale: 'ro',
      disabled: false,
      customerSession: null,
      style: { '--tessera-color': 'red', '--tessera-background': 'url(https://evil.example/x.png)', '--other': 'blue' },
    })
    expect(message).toEqual({ type: 'configure', locale: 'ro', layout: 'stacked', disabled: false, customerSession: null, style: { '--tessera-color': 'red' } })
  })

  it.each([
    ['an unknown type', { type: 'reveal' }],
    ['a field that does not exist', { type: 'focus', field: 'password' }],
    ['a negative id', { type: 'tokenize', id: -1 }],
    // The host never names the customer: the vault takes it from the customer session.
    ['a customer id', { type: 'tokenize', id: 1, customerId: 'c_1' }],
    ['an unsupported locale', { type: 'configure', locale: 'pt', disabled: false, customerSession: null, style: {} }],
    ['extra keys', { type: 'clear', now: true }],
  ])('ignores %s', (_, data) => {
    expect(parseHostMessage(data)).toBeNull()
  })
})

describe('frame → host messages', () => {
  it('accepts the messages the frame sends', () => {
    expect(parseFrameMessage({ type: 'ready', savedCards: 0 })).not.toBeNull()
    expect(parseFrameMessage({ type: 'change', state, validationMessage: 'Enter your card details.', edited: false })).not.toBeNull()
    expect(parseFrameMessage({ type: 'blur', field: 'cvc' })).not.toBeNull()
    expect(parseFrameMessage({ type: 'resize', height: 212 })).not.toBeNull()
    expect(parseFrameMessage({ type: 'result', id: 1, ok: true, token: 'tok_1', card: { brand: 'visa', last4: '4242', exp_month: 12, exp_year: 2030 } })).not.toBeNull()
    expect(parseFrameMessage({ type: 'result', id: 1, ok: false, error: { type: 'card_error', code: 'invalid_number', message: 'x', param: 'number' } })).not.toBeNull()
    expect(parseFrameMessage({ type: 'error', error: { type: 'api_error', code: 'network_error', message: 'x' } })).not.toBeNull()
  })

  it('refuses anything that could carry more than a masked card', () => {
    const card = { brand: 'visa', last4: '4242', exp_month: 12, exp_year: 2030 }
    expect(parseFrameMessage({ type: 'result', id: 1, ok: true, token: 't', card: { ...card, number: '4242424242424242' } })).toBeNull()
    expect(parseFrameMessage({ type: 'result', id: 1, ok: true, token: 't', card: { ...card, last4: '42424242' } })).toBeNull()
    expect(parseFrameMessage({ type: 'change', state: { ...state, number: '4242' }, validationMessage: 'x', edited: true })).toBeNull()
    expect(parseFrameMessage({ type: 'ready', savedCards: 0, extra: 1 })).toBeNull()
    expect(parseFrameMessage({ type: 'resize', height: 1e9 })).toBeNull()
  })
})

describe('custom property values', () => {
  it.each(['#1a1a1a', 'rgb(1, 2, 3)', 'hsl(200 50% 40% / 0.5)', '"Inter", system-ui, sans-serif', '14px', '0.5rem 1rem', 'var(--brand)', 'calc(1rem + 2px)'])('keeps %j', (value) => {
    expect(sanitizeStyleValue(value)).toBe(value)
  })

  it.each([
    'url(https://evil.example/x.png)',
    'URL (https://evil.example/x.png)',
    'red; background: url(x)',
    '@import "x.css"',
    'expression(alert(1))',
    'red} body {color: red',
    'u\\72l(https://evil.example)',
    'image-set("x.png" 1x)',
    'red /* comment */',
    'javascript:alert(1)',
    '</style><script>',
    'x'.repeat(121),
    '',
    '   ',
  ])('drops %j', (value) => {
    expect(sanitizeStyleValue(value)).toBeNull()
  })

  it('drops values that are not strings and properties outside the allow-list', () => {
    expect(sanitizeStyleValue(12)).toBeNull()
    expect(sanitizeStyle({ '--tessera-color': ' red ', '--tessera-font-size': 16, '--tessera-anything': 'red', color: 'red' })).toEqual({ '--tessera-color': 'red' })
  })
})

describe('locales', () => {
  it.each([
    ['ro', 'ro'],
    ['ro-RO', 'ro'],
    ['RO_md', 'ro'],
    ['en-GB', 'en'],
    ['pt-BR', 'en'],
    ['', 'en'],
    [null, 'en'],
  ])('resolves %j to %s', (tag, locale) => {
    expect(resolveLocale(tag)).toBe(locale)
  })
})
