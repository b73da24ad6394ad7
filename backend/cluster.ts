// `tessera serve --workers N`: N vault processes on one machine sharing the listening port
// (node:cluster) and the database. The primary prepares the store once (migrations, first
// keys), then forks; a worker that dies is replaced, with a pause if they keep dying.
import cluster from 'node:cluster'
import type { Config } from './config.js'
import type { Logger } from './logger.js'
import { createVault, startVault, type RunningVault } from './vault.js'

export const CLUSTER_DEFAULTS = {
  /** A worker that dies sooner than this after starting is restarted only after a pause. */
  minUptimeMs: 5_000,
  restartDelayMs: 1_000,
} as const

export async function runPrimary(config: Config, workers: number, logger: Logger): Promise<void> {
  const prepared = await createVault(config, { logger })
  await prepared.close()
  const startedAt = new Map<number, number>()
  let stopping = false
  const fork = () => {
    const worker = cluster.fork()
    startedAt.set(worker.id, Date.now())
  }
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) return
    const uptime = Date.now() - (startedAt.get(worker.id) ?? 0)
    logger.warn({ worker: worker.id, code, signal, uptime_ms: uptime }, 'vault worker exited; starting another')
    setTimeout(fork, uptime < CLUSTER_DEFAULTS.minUptimeMs ? CLUSTER_DEFAULTS.restartDelayMs : 0)
  })
  for (let i = 0; i < workers; i++) fork()
  const stop = () => {
    stopping = true
    for (const w of Object.values(cluster.workers ?? {})) w?.process.kill('SIGTERM')
    const exitWhenDone = () => (Object.keys(cluster.workers ?? {}).length === 0 ? process.exit(0) : setTimeout(exitWhenDone, 50))
    exitWhenDone()
  }
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
}

export function isClusterWorker(): boolean {
  return cluster.isWorker
}

export async function runWorker(config: Config): Promise<RunningVault> {
  return startVault(config)
}
