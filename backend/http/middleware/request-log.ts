// One structured log line per request: method, path, status, duration, request id, project
// and mode. No bodies, no headers (the Authorization header never reaches a log line).
//
// The line's fields are fixed and each is either the vault's own (request id, status, duration,
// project id, mode) or checked here: the method is one of HTTP's tokens, the path goes through
// scrub (card-number digit runs in any spelling, JWEs, keys). So the line skips the logger's
// generic defences (redaction paths, every string scrubbed again), which cost as much as the
// rest of a token read; every other log line still takes them. test/unit/backend/request-log.test.ts
// holds the line to that.
import type { Context } from 'hono'
import { pino } from 'pino'
import { scrub, type Logger } from '../../logger.js'
import type { AppEnv } from '../env.js'

/** The path as a reader would see it: percent-encoded digits are digits to the scrubber too. */
function readablePath(path: string): string {
  if (!path.includes('%')) return path
  try {
    return decodeURIComponent(path)
  } catch {
    return path
  }
}

/**
 * The current time as pino's ISO string, made once per millisecond (at thousands of requests a
 * second most lines share one): the same text as `new Date().toISOString()`, without a Date and a
 * string per line.
 */
function isoNow(): () => string {
  let at = -1
  let text = ''
  return () => {
    const now = Date.now()
    if (now !== at) {
      at = now
      text = new Date(now).toISOString()
    }
    return text
  }
}

/** Methods as node's parser passes them; anything else (an in-process caller's) is not echoed. */
const METHOD = /^[A-Z]{1,16}$/

export interface RequestLine {
  request_id: string
  method: string
  path: string
  status: number
  ms: number
  project: string | undefined
  mode: string | undefined
}

/** The request line's fields: nothing a client sent but the method and the scrubbed path. */
export function requestLine(c: Context<AppEnv>, started: number): RequestLine {
  const principal = c.get('principal') as AppEnv['Variables']['principal'] | undefined
  const method = c.req.method
  return {
    request_id: c.get('requestId'),
    method: METHOD.test(method) ? method : 'OTHER',
    path: scrub(readablePath(c.req.path)),
    status: c.res.status,
    ms: Math.round((performance.now() - started) * 10) / 10,
    project: principal?.project.id,
    mode: principal?.mode,
  }
}

/**
 * Writes request lines to `logger`'s destination, at its level, in its format (pino's: level,
 * time, the logger's bindings, the fields, msg), built as one string: the line's fields are
 * known, so pino's generic path (serializers, redaction paths, the formatter that scrubs every
 * string again) has nothing to do for it, and costs more than the rest of a token read.
 */
export function requestLogger(logger: Logger): (line: RequestLine) => void {
  // pino.symbols: pino's documented handles for integrations.
  const own = logger as unknown as Record<symbol, unknown>
  const stream = own[pino.symbols.streamSym] as { write(text: string): unknown }
  const bindings = own[pino.symbols.chindingsSym] as string
  const level = logger.levels.values.info as number
  const text = JSON.stringify
  const time = isoNow()
  return (line) => {
    if (!logger.isLevelEnabled('info')) return
    const whose = line.project === undefined ? '' : `,"project":${text(line.project)},"mode":${text(line.mode)}`
    stream.write(
      `{"level":${level},"time":"${time()}"${bindings},"request_id":${text(line.request_id)},"method":${text(line.method)},"path":${text(line.path)},"status":${line.status},"ms":${line.ms}${whose},"msg":"request"}\n`,
    )
  }
}
