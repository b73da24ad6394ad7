// One structured log line per request: method, path, status, duration, request id. No
// bodies, no headers (the Authorization header never reaches a log line).
import type { MiddlewareHandler } from 'hono'
import { scrub, type Logger } from '../../logger.js'
import type { AppEnv } from '../env.js'

export function requestLog(logger: Logger): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const started = performance.now()
    await next()
    const principal = c.get('principal') as AppEnv['Variables']['principal'] | undefined
    logger.info(
      {
        request_id: c.get('requestId'),
        method: c.req.method,
        path: scrub(c.req.path),
        status: c.res.status,
        ms: Math.round((performance.now() - started) * 10) / 10,
        project: principal?.project.id,
        mode: principal?.mode,
      },
      'request',
    )
  }
}
