// Card data as types, not strings: printing, logging or JSON-encoding one shows the masked
// form only, so an accidental log line or dump cannot leak the number.
import { brandOf, type BrandInfo } from '../../common/card-rules.js'

const inspectSymbol = Symbol.for('nodejs.util.inspect.custom')

export function maskNumber(digits: string): string {
  const visibleHead = Math.min(6, Math.max(0, digits.length - 4))
  return digits.slice(0, visibleHead) + '*'.repeat(digits.length - visibleHead - 4) + digits.slice(-4)
}

export class CardNumber {
  readonly #digits: string
  #brand: BrandInfo | undefined
  /** The masked form, kept as a plain field so that copies of the object still print it. */
  readonly masked: string

  private constructor(digits: string) {
    this.#digits = digits
    this.masked = maskNumber(digits)
  }

  /** Wraps an already validated string of 12-19 ASCII digits. */
  static of(digits: string): CardNumber {
    if (!/^\d{12,19}$/.test(digits)) throw new TypeError('a card number is 12-19 digits')
    return new CardNumber(digits)
  }

  /** The digits in clear: call only where the clear number is needed (cipher, HMAC, acquirer). */
  reveal(): string {
    return this.#digits
  }

  get bin(): string {
    return this.#digits.slice(0, 6)
  }

  get last4(): string {
    return this.#digits.slice(-4)
  }

  /** The brand and its rules, looked up once per card (the verification and the stored row both ask). */
  get brand(): BrandInfo {
    return (this.#brand ??= brandOf(this.#digits))
  }

  get length(): number {
    return this.#digits.length
  }

  toString(): string {
    return maskNumber(this.#digits)
  }

  // Serialisers (pino's redaction among them) may call toJSON on a copy of the object, which
  // has no private digits: only the masked field is read here.
  toJSON(): string {
    return typeof this.masked === 'string' ? this.masked : '[card number]'
  }

  [inspectSymbol](): string {
    return `CardNumber(${this.toJSON()})`
  }
}

/** Key material that must not be printed either. */
export class SecretBytes {
  readonly #bytes: Uint8Array
  constructor(bytes: Uint8Array) {
    this.#bytes = bytes
  }
  expose(): Uint8Array {
    return this.#bytes
  }
  toString(): string {
    return '[secret]'
  }
  toJSON(): string {
    return '[secret]'
  }
  [inspectSymbol](): string {
    return 'SecretBytes([secret])'
  }
}
