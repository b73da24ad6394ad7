import { Writable } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { CardNumber } from '../../../backend/crypto/secret.js'
import { createLogger, scrub } from '../../../backend/logger.js'

function capture() {
  const lines: string[] = []
  const logger = createLogger({
    level: 'debug',
    destination: new Writable({
      write(chunk, _e, done) {
        lines.push(String(chunk))
        done()
      },
    }) as never,
  })
  return { logger, text: () => lines.join('') }
}

const jwe = 'eyJhbGciOiJFQ0RILUVTIn0..abcdefghijklmnop.qrstuvwxyzABCDEFGH.IJKLMNOPQRSTUVWX'

describe('logger redaction', () => {
  it('redacts the Authorization header, card fields and secrets wherever they sit', () => {
    const { logger, text } = capture()
    logger.info({ headers: { authorization: 'Bearer sk_test_abc' }, body: { card: jwe, number: '4242424242424242', cvc: '123' }, cvc: '999' }, 'x')
    expect(text()).not.toContain('sk_test_abc')
    expect(text()).not.toContain('4242424242424242')
    expect(text()).not.toContain('"123"')
    expect(text()).not.toContain('"999"')
    expect(text()).not.toContain(jwe)
  })

  it('scrubs card numbers, keys and JWEs out of free text and error messages', () => {
    const { logger, text } = capture()
    logger.error({ err: new Error(`bad card 4242 4242 4242 4242 and ${jwe} with sk_live_ABCDEFGHIJKLMNOPQRSTUVWXYZ123456`) }, `saw 4111111111111111`)
    expect(text()).not.toMatch(/4242 4242|4111111111111111|sk_live_ABCD/)
    expect(text()).not.toContain(jwe)
    expect(text()).toContain('[digits]')
  })

  it('masks digit runs in every logged string field, however deep', () => {
    const { logger, text } = capture()
    logger.warn({ note: 'card 4111111111111111', detail: 'kid 5555555555554444', nested: { list: ['x 378282246310005'], deeper: { path: '/v1/tokens/6011-1111-1111-1117' } }, request_id: 'req_0123456789012345abcdef01' }, 'x')
    expect(text()).not.toMatch(/4111111111111111|5555555555554444|378282246310005|6011-1111/)
    expect(text().match(/\[digits\]/g)).toHaveLength(4)
    // The vault's own request ids stay findable.
    expect(text()).toContain('req_0123456789012345abcdef01')
  })

  it('logs a CardNumber as its masked form', () => {
    const { logger, text } = capture()
    logger.info({ pan: CardNumber.of('5555555555554444') }, 'masked')
    expect(text()).toContain('555555******4444')
    expect(text()).not.toContain('5555555555554444')
  })

  it('leaves ordinary text alone', () => {
    expect(scrub('GET /v1/tokens/abc 200 in 12 ms')).toBe('GET /v1/tokens/abc 200 in 12 ms')
    expect(scrub('order 12345')).toBe('order 12345')
  })
})
