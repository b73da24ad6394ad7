// The `tessera` command line: serve, start, project create, keys rotate.
import { parseArgs } from 'node:util'
import { ConfigError, loadConfig, type Config } from './config.js'
import { MasterKeyError } from './crypto/master-check.js'
import { TesseraError } from './errors.js'
import { createLogger } from './logger.js'
import { DatabaseStartError } from './store/database.js'
import { ON_DUPLICATES, TOKEN_FORMATS, TOKEN_MANAGEMENTS, VERIFICATIONS } from './projects/project.js'
import { createVault, startVault, type RunningVault } from './vault.js'

const USAGE = `Usage:
  tessera start [--port 8787] [--acquirer-port 8790] [--shop-port 3000] [--data ./data]
                                        the vault, the sandbox acquirer and the demo shop (npm start)
  tessera demo [--port 3000] [--vault http://127.0.0.1:8787] [--projects ./data/demo-projects.json]
                                        the demo shop alone
  tessera serve [--port 8787] [--host 127.0.0.1] [--data ./data] [--workers N]
  tessera project create --name N --origin URL [--origin URL...]
                 [--verification none|basic|acquirer]
                 [--token-format random|deterministic|luhn|preserve-6.4|merchant]
                 [--token-management unique-token|unique-account]
                 [--on-duplicate return|error] [--webhook URL] [--json]
  tessera keys rotate                   add a new JWE key; older keys decrypt for a grace period
  tessera keys rotate-master [--wait-ms N]   a new master key; every wrapped key is wrapped again
  tessera keys rotate-data [--project ID] [--wait-ms N] [--batch-size N]
                                        a new data key per project and mode; stored cards are
                                        re-encrypted in the background, the old key destroyed
  tessera webhook-keys rotate           a new webhook signing key; the old one stays published 7 days
  tessera acquirer [--port 8790] [--host 127.0.0.1]   the sandbox acquirer alone
  tessera audit verify [--project ID] [--data DIR]
                                        recompute the audit chains; exit 1 naming the first event that does not match

Environment: DATABASE_URL (postgres://... to use PostgreSQL), TESSERA_MASTER_KEY (32 bytes,
hex or base64; otherwise ./data/master.key, created for an empty database only), TESSERA_PUBLIC_URL,
TESSERA_LOG_LEVEL; every variable is listed in README.md ("Operating the vault").`

class UsageError extends Error {}

function oneOf<T extends string>(name: string, value: string | undefined, allowed: readonly T[]): T | undefined {
  if (value === undefined) return undefined
  if (!(allowed as readonly string[]).includes(value)) throw new UsageError(`--${name} must be one of ${allowed.join(', ')}`)
  return value as T
}

const SERVER_OPTIONS = { port: { type: 'string' }, host: { type: 'string' }, data: { type: 'string' }, workers: { type: 'string' } } as const

function serverConfig(args: string[]): Config {
  const { values } = parseArgs({ args, options: SERVER_OPTIONS })
  const port = values.port === undefined ? undefined : Number(values.port)
  if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535)) throw new UsageError('--port must be a port number')
  return loadConfig(process.env, { port, host: values.host, dataDir: values.data })
}

function workerCount(args: string[]): number {
  const { values } = parseArgs({ args, options: SERVER_OPTIONS })
  const workers = values.workers === undefined ? 1 : Number(values.workers)
  if (!Number.isInteger(workers) || workers < 1 || workers > 64) throw new UsageError('--workers must be a number from 1 to 64')
  return workers
}

async function serve(args: string[]): Promise<void> {
  const config = serverConfig(args)
  const workers = workerCount(args)
  const { isClusterWorker, runPrimary, runWorker } = await import('./cluster.js')
  if (isClusterWorker()) {
    stopOnSignal([await runWorker(config)])
  } else if (workers > 1) {
    await runPrimary(config, workers, createLogger({ level: config.logLevel }))
  } else {
    stopOnSignal([await startVault(config)])
  }
}

function stopOnSignal(running: RunningVault[]): void {
  const stop = async () => {
    await Promise.all(running.map((r) => r.close()))
    process.exit(0)
  }
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
}

async function projectCreate(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      name: { type: 'string' },
      origin: { type: 'string', multiple: true },
      verification: { type: 'string' },
      'token-format': { type: 'string' },
      'token-management': { type: 'string' },
      'on-duplicate': { type: 'string' },
      webhook: { type: 'string' },
      data: { type: 'string' },
      json: { type: 'boolean' },
    },
  })
  if (!values.name) throw new UsageError('--name is required')
  const origins = values.origin ?? []
  if (origins.length === 0) throw new UsageError('at least one --origin is required')
  for (const o of origins) {
    if (!URL.canParse(o) || new URL(o).origin !== o) throw new UsageError(`--origin ${o} is not an origin like https://shop.example`)
  }
  if (values.webhook !== undefined && !URL.canParse(values.webhook)) throw new UsageError('--webhook must be a URL')
  const config = loadConfig(process.env, { dataDir: values.data })
  const vault = await createVault(config, { logger: createLogger({ level: 'warn', destination: process.stderr as never }) })
  try {
    const { project, keys } = await vault.projects.create({
      name: values.name,
      allowedOrigins: origins,
      verification: oneOf('verification', values.verification, VERIFICATIONS),
      tokenFormat: oneOf('token-format', values['token-format'], TOKEN_FORMATS),
      tokenManagement: oneOf('token-management', values['token-management'], TOKEN_MANAGEMENTS),
      onDuplicate: oneOf('on-duplicate', values['on-duplicate'], ON_DUPLICATES),
      webhookUrl: values.webhook ?? null,
    })
    if (values.json) {
      process.stdout.write(JSON.stringify({ project_id: project.id, test: keys.test, live: keys.live }) + '\n')
    } else {
      process.stdout.write(
        `Project ${project.id} (${project.name})\n` +
          `  test publishable key  ${keys.test.publishable_key}\n  test secret key       ${keys.test.secret_key}\n` +
          `  live publishable key  ${keys.live.publishable_key}\n  live secret key       ${keys.live.secret_key}\n` +
          `Secret keys are stored hashed and cannot be shown again.\n`,
      )
    }
  } finally {
    await vault.close()
  }
}

/** Opens the vault of `--data` (or DATABASE_URL) for one command, printing what it answers. */
async function withVault(args: string[], work: (vault: Awaited<ReturnType<typeof createVault>>) => Promise<string>): Promise<void> {
  const { values } = parseArgs({ args, options: { data: { type: 'string' } } })
  const vault = await createVault(loadConfig(process.env, { dataDir: values.data }), { logger: createLogger({ level: 'warn', destination: process.stderr as never }) })
  try {
    process.stdout.write((await work(vault)) + '\n')
  } finally {
    await vault.close()
  }
}

const keysRotate = (args: string[]) =>
  withVault(args, async (vault) => `New JWE key ${await vault.keyRing.rotate()} is active; previous keys decrypt until their grace period ends.`)

const webhookKeysRotate = (args: string[]) =>
  withVault(args, async (vault) => `New webhook signing key ${await vault.webhookKeys.rotate()} signs from now on; the previous key stays in /v1/webhook-keys for its grace period.`)


async function acquirer(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { port: { type: 'string' }, host: { type: 'string' } } })
  const port = values.port === undefined ? undefined : Number(values.port)
  if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535)) throw new UsageError('--port must be a port number')
  const { startAcquirer } = await import('../demo/acquirer/server.js')
  const config = loadConfig(process.env)
  const running = await startAcquirer({ port, host: values.host, apiKey: config.acquirerKey })
  process.stdout.write(`Sandbox acquirer ${running.url} (test cards: docs/acquirer.md)\n`)
  const stop = async () => {
    await running.close()
    process.exit(0)
  }
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
}


async function auditVerifyCommand(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { data: { type: 'string' }, project: { type: 'string' } } })
  const config = loadConfig(process.env, { dataDir: values.data })
  const { auditVerify } = await import('./audit/verify.js')
  const result = await auditVerify({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, projectId: values.project })
  ;(result.exitCode === 0 ? process.stdout : process.stderr).write(result.lines.join('\n') + '\n')
  process.exitCode = result.exitCode
}

async function keysRotateMaster(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { data: { type: 'string' }, 'wait-ms': { type: 'string' } } })
  const waitMs = values['wait-ms'] === undefined ? undefined : Number(values['wait-ms'])
  if (waitMs !== undefined && !(Number.isInteger(waitMs) && waitMs >= 0)) throw new UsageError('--wait-ms must be a number of milliseconds')
  const { rotateMaster } = await import('./master-rotation.js')
  const result = await rotateMaster({ config: loadConfig(process.env, { dataDir: values.data }), env: process.env, waitMs, log: (line) => process.stdout.write(line + '\n') })
  if (Object.keys(result.remaining).length > 0) process.exitCode = 1
}

/** `tessera keys rotate-data`: exits 1 when an old data key could not be destroyed yet. */
export async function keysRotateData(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { data: { type: 'string' }, project: { type: 'string' }, 'wait-ms': { type: 'string' }, 'batch-size': { type: 'string' } } })
  const number = (name: string, value: string | undefined, min: number) => {
    if (value === undefined) return undefined
    const n = Number(value)
    if (!Number.isInteger(n) || n < min) throw new UsageError(`--${name} must be a whole number of at least ${min}`)
    return n
  }
  const waitMs = number('wait-ms', values['wait-ms'], 0)
  const batchSize = number('batch-size', values['batch-size'], 1)
  const { rotateDataKeys } = await import('./data-key-rotation.js')
  const results = await rotateDataKeys({ config: loadConfig(process.env, { dataDir: values.data }), env: process.env, projectId: values.project, waitMs, batchSize, log: (line) => process.stdout.write(line + '\n') })
  if (results.some((r) => r.keptKeyIds.length > 0 || r.cardsLost)) process.exitCode = 1
}

export async function main(argv: string[]): Promise<void> {
  const [command, sub, ...rest] = argv
  try {
    if (command === 'serve') {
      await serve([sub, ...rest].filter((a): a is string => a !== undefined))
    } else if (command === 'start') {
      const { start } = await import('./start.js')
      await start([sub, ...rest].filter((a): a is string => a !== undefined))
    } else if (command === 'project' && sub === 'create') {
      await projectCreate(rest)
    } else if (command === 'keys' && sub === 'rotate') {
      await keysRotate(rest)
    } else if (command === 'webhook-keys' && sub === 'rotate') {
      await webhookKeysRotate(rest)
    } else if (command === 'keys' && sub === 'rotate-master') {
      await keysRotateMaster(rest)
    } else if (command === 'keys' && sub === 'rotate-data') {
      await keysRotateData(rest)
    } else if (command === 'audit' && sub === 'verify') {
      await auditVerifyCommand(rest)
    } else if (command === 'demo') {
      const { runShopFromArgs } = await import('../demo/shop/cli.js')
      await runShopFromArgs([sub, ...rest].filter((a): a is string => a !== undefined))
    } else if (command === 'acquirer') {
      await acquirer([sub, ...rest].filter((a): a is string => a !== undefined))
    } else {
      process.stdout.write(USAGE + '\n')
      process.exitCode = command === undefined || command === 'help' || command === '--help' ? 0 : 2
    }
  } catch (error) {
    // A bad environment stops every command at once, on one line naming the variable.
    if (error instanceof ConfigError) {
      process.stderr.write(`tessera: ${error.message}\n`)
      process.exitCode = 1
      if (process.connected) process.exit(1)
      return
    }
    if (error instanceof MasterKeyError || error instanceof DatabaseStartError) {
      // One line, naming the cause: the vault does not start with a key that opens nothing, or
      // on a database it cannot use.
      process.stderr.write(`tessera: refusing to start: ${error.message}\n`)
      process.exitCode = 1
      // A cluster worker's IPC channel would keep it alive, neither serving nor exiting.
      if (process.connected) process.exit(1)
      return
    }
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`tessera: ${(error as Error).message}\n\n${USAGE}\n`)
      process.exitCode = 2
      return
    }
    if (error instanceof TesseraError) {
      process.stderr.write(`tessera: ${error.message}\n`)
      process.exitCode = 1
      return
    }
    throw error
  }
}

export { serverConfig, stopOnSignal }
