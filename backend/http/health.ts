// GET /health/live: the process answers (200 while it serves). GET /health/ready: the database
// answers and the master key unwraps the stored keys; 503 naming what is not ready otherwise.
// Neither needs a key, and neither says more than which check failed.
import { Hono } from 'hono'
import type { AppEnv } from './env.js'

export interface ReadinessChecks {
  /** One round trip to the database; throws when it does not answer. */
  database(): Promise<void>
  /** Whether the database failed in a way a round trip does not show (a full disk). */
  databaseImpaired(): boolean
  /** Unwraps the stored keys with the master key (reads them from the database); throws when it cannot. */
  masterKey(): Promise<void>
}

export const HEALTH_DEFAULTS = {
  /** A check that has not answered by then counts as failed: a probe gets its answer in time. */
  checkTimeoutMs: 2_000,
} as const

type CheckResult = 'ok' | 'unavailable' | 'timeout'

async function bounded(check: () => Promise<void>, timeoutMs: number): Promise<CheckResult> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<CheckResult>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs)
  })
  try {
    return await Promise.race([check().then((): CheckResult => 'ok', (): CheckResult => 'unavailable'), timeout])
  } finally {
    clearTimeout(timer)
  }
}

export function healthRoutes(checks: ReadinessChecks, options: { checkTimeoutMs?: number } = {}): Hono<AppEnv> {
  const timeoutMs = options.checkTimeoutMs ?? HEALTH_DEFAULTS.checkTimeoutMs
  const app = new Hono<AppEnv>()
  app.get('/live', (c) => {
    c.header('Cache-Control', 'no-store')
    return c.json({ status: 'live' })
  })
  app.get('/ready', async (c) => {
    c.header('Cache-Control', 'no-store')
    const database = await bounded(checks.database, timeoutMs)
    // The master-key check reads the stored keys: without the database it cannot tell.
    const masterKey = database === 'ok' ? await bounded(checks.masterKey, timeoutMs) : 'unknown'
    const result = { database: database === 'ok' && checks.databaseImpaired() ? 'unavailable' : database, master_key: masterKey }
    const ready = result.database === 'ok' && result.master_key === 'ok'
    return c.json({ status: ready ? 'ready' : 'not_ready', checks: result }, ready ? 200 : 503)
  })
  return app
}
