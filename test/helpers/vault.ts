// Starts a real vault HTTP server on an ephemeral port over a temporary SQLite file, with
// its logs captured, for integration and browser tests.
import { Writable } from 'node:stream'
import crypto from 'node:crypto'
import pg from 'pg'
import { inject } from 'vitest'
import { appendLog, logFile, tempDir } from './artifacts.js'
import { api, type Api } from './api.js'
import type { Clock } from '../../backend/clock.js'
import { loadConfig } from '../../backend/config.js'
import { createLogger } from '../../backend/logger.js'
import type { ProjectInput } from '../../backend/projects/service.js'
import { startVault as startRealVault, type RunningVault, type VaultOptions } from '../../backend/vault.js'

export interface TestProjectKeys {
  projectId: string
  test: { publishable_key: string; secret_key: string }
  live: { publishable_key: string; secret_key: string }
}

export interface TestVault {
  url: string
  origin: string
  dataDir: string
  running: RunningVault
  logs: string[]
  createProject(input?: Partial<ProjectInput> & { origins?: string[] }): Promise<TestProjectKeys>
  /** A new admin key (`ak_...`) for the management API. */
  createAdminKey(): Promise<string>
  close(): Promise<void>
}

export interface TestVaultOptions extends Omit<VaultOptions, 'logger'> {
  clock?: Clock
  /** Host name in the returned URL (`localhost` gives the vault another origin than 127.0.0.1 pages). */
  hostname?: '127.0.0.1' | 'localhost'
  dataDir?: string
  env?: NodeJS.ProcessEnv
}

/** Per-address limits out of the way: every test client is 127.0.0.1. */
export const TEST_RATE_LIMITS = JSON.stringify({ tokenize: { perAddress: { perSecond: 1000, burst: 100_000 } }, customerSessionList: { perAddress: { perSecond: 1000, burst: 100_000 } } })

export { tempDir }

export async function startVault(options: TestVaultOptions = {}): Promise<TestVault> {
  const dataDir = options.dataDir ?? tempDir()
  const logs: string[] = []
  const file = logFile('vault')
  const sink = new Writable({
    write(chunk, _encoding, done) {
      logs.push(...String(chunk).split('\n').filter(Boolean))
      appendLog(file, String(chunk))
      done()
    },
  })
  const env = { ...options.env }
  // Every test page and request comes from 127.0.0.1: the per-address limits (built for
  // shoppers) would throttle whole suites. The rate-limit tests set their own.
  env.TESSERA_RATE_LIMITS ??= TEST_RATE_LIMITS
  // Test webhook receivers listen on 127.0.0.1; the webhook-URL tests set '0' to see the refusal.
  env.TESSERA_ALLOW_PRIVATE_WEBHOOKS ??= '1'
  if (process.env.TESSERA_TEST_STORE === 'postgres' && !env.DATABASE_URL) env.DATABASE_URL = await createTestDatabase()
  const config = loadConfig(env, { port: 0, host: '127.0.0.1', dataDir })
  const running = await startRealVault(config, { ...options, logger: createLogger({ level: 'info', destination: sink as never }) })
  const url = options.hostname === 'localhost' ? running.url.replace('127.0.0.1', 'localhost') : running.url
  return {
    url,
    origin: new URL(url).origin,
    dataDir,
    running,
    logs,
    async createProject(input = {}) {
      const { origins, ...rest } = input
      const { project, keys } = await running.vault.projects.create({ name: 'Test shop', allowedOrigins: origins ?? ['http://127.0.0.1:3000'], ...rest })
      return { projectId: project.id, test: keys.test, live: keys.live }
    },
    async createAdminKey() {
      return (await running.vault.adminKeys.create()).secret
    },
    async close() {
      await running.close()
    },
  }
}

/** A fresh database in the test run's PostgreSQL cluster. */
export async function createTestDatabase(): Promise<string> {
  const adminUrl = inject('pgAdminUrl')
  const name = 'tessera_' + crypto.randomBytes(6).toString('hex')
  const client = new pg.Client({ connectionString: adminUrl })
  await client.connect()
  try {
    await client.query(`create database ${name}`)
  } finally {
    await client.end()
  }
  return adminUrl.replace(/\/postgres$/, `/${name}`)
}

export interface VaultWithProject {
  vault: TestVault
  call: Api
  keys: TestProjectKeys
}

/** What most suites start with: a vault, an API client for it and one project. */
export async function startVaultWithProject(options: TestVaultOptions = {}, project: Parameters<TestVault['createProject']>[0] = {}): Promise<VaultWithProject> {
  const vault = await startVault(options)
  return { vault, call: api(vault.url), keys: await vault.createProject(project) }
}
