// Structured JSON logs (pino) with redaction: keys, card fields and JWEs never reach a log line.
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

export function scrub(text: string): string {
  return text
    .replace(JWE_SHAPE, '[jwe]')
    .replace(KEY_SHAPE, '$1_[redacted]')
    .replace(DIGIT_RUN, (run) => (run.replace(/\D/g, '').length >= 12 ? '[digits]' : run))
}

export interface LoggerOptions {
  level?: string
  destination?: DestinationStream
  /** The `service` field of every line. */
  service?: string
}

export function createLogger(options: LoggerOptions = {}): Logger {
  return pino(
    {
      level: options.level ?? process.env.TESSERA_LOG_LEVEL ?? 'info',
      base: { service: options.service ?? 'tessera-vault', pid: process.pid },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
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
