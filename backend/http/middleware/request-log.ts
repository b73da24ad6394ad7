// One structured log line per request: method, path, status, duration, request id. No
// bodies, no headers (the Authorization header never reaches a log line).
import type { MiddlewareHandler } from 'hono'
import { scrub, type Logger } from '../../logger.js'
import type { AppEnv } from '../env.js'

/** The path as a reader would see it: percent-encoded digits are digits to the scrubber too. */
function readablePath(path: string): string {
  try {
    return decodeURIComponent(path)
  } catch {
    return path
  }
}

export function requestLog(logger: Logger): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const started = performance.now()
    await next()
    const principal = c.get('principal') as AppEnv['Variables']['principal'] | undefined
    logger.info(
      {
        request_id: c.get('requestId'),
        method: c.req.method,
        path: scrub(readablePath(c.req.path)),
        status: c.res.status,
        ms: Math.round((performance.now() - started) * 10) / 10,
        project: principal?.project.id,
        mode: principal?.mode,
      },
      'request',
    )
  }
}
