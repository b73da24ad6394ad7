// Structured JSON logs (pino) with redaction: keys, card fields and JWEs never reach a log line,
// and every logged string is scrubbed of digit runs that could be a card number. Node only: the
// vault, the demo shop and the sandbox acquirer (which sees card numbers too) log through it.
// It reads no environment: each process passes its level (the vault's from backend/config.ts).
import { pino, type Logger, type DestinationStream } from 'pino'

export type { Logger }

const REDACT_PATHS = [
  'authorization',
  'req.headers.authorization',
  'headers.authorization',
  '*.authorization',
  'card',
  '*.card',
  'number',
  '*.number',
  'cvc',
  '*.cvc',
  // A saved card's CVC as the frame encrypted it (docs/payments.md).
  'card_cvc',
  '*.card_cvc',
  'cvc_token',
  '*.cvc_token',
  'jwe',
  '*.jwe',
  'secret_key',
  '*.secret_key',
  'client_secret',
  '*.client_secret',
  'master_key',
  '*.master_key',
]

// Defence in depth for free text (error messages): anything shaped like a compact JWE, a
// bearer key or a long digit run is replaced before it is written.
const JWE_SHAPE = /[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/g
const KEY_SHAPE = /\b((?:sk|pk|rk)_(?:test|live)|ak)_[A-Za-z0-9]{8,}/g
const DIGIT_RUN = /\d[\d -]{10,}\d/g

/** Whether `text` has the four dots of a compact JWE (JWE_SHAPE backtracks over every long run of letters otherwise). */
function hasFourDots(text: string): boolean {
  let at = -1
  for (let dots = 0; dots < 4; dots++) if ((at = text.indexOf('.', at + 1)) === -1) return false
  return true
}

export function scrub(text: string): string {
  let out = hasFourDots(text) ? text.replace(JWE_SHAPE, '[jwe]') : text
  if (out.includes('_')) out = out.replace(KEY_SHAPE, '$1_[redacted]')
  return out.replace(DIGIT_RUN, (run) => (run.replace(/\D/g, '').length >= 12 ? '[digits]' : run))
}

/** How deep scrubValues looks into a logged object; log objects here are shallow. */
const SCRUB_DEPTH = 6

/**
 * Fields that only ever hold ids the vault made itself (hex, so about one in fifty holds twelve
 * digits in a row): left as they are, so a log line can still be found by its request id.
 */
const OWN_ID_FIELDS = new Set(['request_id', 'event_id'])

/**
 * The second line of defence: every string anywhere in a log line's fields goes through scrub,
 * so a card number that reached a field by mistake (a path, a header value in an error detail)
 * is masked. Class instances other than plain objects and arrays keep their own serialisation
 * (a CardNumber masks itself; errors go through the err serializer).
 */
export function scrubValues(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return scrub(value)
  if (depth >= SCRUB_DEPTH || typeof value !== 'object' || value === null) return value
  if (Array.isArray(value)) return value.map((v) => scrubValues(v, depth + 1))
  const proto = Object.getPrototypeOf(value)
  if (proto !== Object.prototype && proto !== null) return value
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(value)) out[k] = OWN_ID_FIELDS.has(k) && typeof v === 'string' && /^[a-z]{2,4}_[0-9a-f]{16,32}$/.test(v) ? v : scrubValues(v, depth + 1)
  return out
}

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const
export type LogLevel = (typeof LOG_LEVELS)[number]

export interface LoggerOptions {
  /** Default info. */
  level?: string
  destination?: DestinationStream
  /** The `service` field of every line. */
  service?: string
}

export function createLogger(options: LoggerOptions = {}): Logger {
  return pino(
    {
      level: options.level ?? 'info',
      base: { service: options.service ?? 'tessera-vault', pid: process.pid },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: {
        log: (object) => scrubValues(object) as Record<string, unknown>,
      },
      serializers: {
        err: (err: unknown) => {
          if (!(err instanceof Error)) return { message: scrub(String(err)) }
          return { type: err.name, message: scrub(err.message), stack: err.stack ? scrub(err.stack) : undefined }
        },
      },
      hooks: {
        logMethod(args, method) {
          method.apply(this, args.map((a) => (typeof a === 'string' ? scrub(a) : a)) as Parameters<typeof method>)
        },
      },
    },
    options.destination ?? pino.destination(1),
  )
}
