// `npm start` (`tessera start`): the whole demo on one machine. The vault runs in this process;
// the sandbox acquirer and the demo shop run as child processes. The demo projects are created
// or reused, their test keys kept in the data folder (mode 0600) and printed. Ctrl-C (or
// SIGTERM) stops all three; if this process dies, the children notice and stop themselves.
import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import net from 'node:net'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { loadConfig, readEnv } from '../backend/config.js'
import { startVault, type RunningVault, type Vault } from '../backend/vault.js'
import { DEMO_PROJECTS_FILE, describeSettings, type DemoProjectRecord } from '../demo/shop/demo-projects.js'
import { ensureDemoProjects } from '../demo/shop/provision.js'
import { WEBHOOK_PATH } from '../demo/shop/routes/webhooks.js'
import { createTesseraClient } from '../packages/node/index.js'

export const START_DEFAULTS = {
  vaultPort: 8787,
  acquirerPort: 8790,
  shopPort: 3000,
  host: '127.0.0.1',
  /** Request logs of three processes would bury the URLs and keys: warnings only, unless TESSERA_LOG_LEVEL says otherwise. */
  logLevel: 'warn',
  /** How long a child gets to stop after SIGTERM before it is killed. */
  stopGraceMs: 5_000,
} as const

const ROOT = fileURLToPath(new URL('../', import.meta.url))
const ACQUIRER_MAIN = path.join(ROOT, 'demo/acquirer/main.ts')
const SHOP_MAIN = path.join(ROOT, 'demo/shop/main.ts')

// Loaded into each child before its own code: when this process goes away without stopping it
// (SIGKILL, a crash), the IPC channel closes and the child stops itself as on SIGTERM.
const EXIT_WITH_PARENT = `data:text/javascript,${encodeURIComponent("process.on('disconnect', () => process.kill(process.pid, 'SIGTERM'))")}`

class StartError extends Error {}

interface StartFlags {
  vaultPort: number
  acquirerPort: number
  shopPort: number
  host: string
  dataDir: string | undefined
  /** TESSERA_LOG_LEVEL, else START_DEFAULTS.logLevel: what the three processes log at. */
  logLevel: string
}

function portFlag(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback
  const port = Number(value)
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new StartError(`--${name} must be a port number`)
  return port
}

function parseFlags(args: string[], environment: NodeJS.ProcessEnv): StartFlags {
  const { values } = parseArgs({
    args,
    options: { port: { type: 'string' }, host: { type: 'string' }, data: { type: 'string' }, 'acquirer-port': { type: 'string' }, 'shop-port': { type: 'string' } },
  })
  // Checked as the vault checks it: a bad variable stops here (ConfigError), before anything starts.
  const env = readEnv(environment)
  return {
    vaultPort: portFlag('port', values.port, env.PORT ?? START_DEFAULTS.vaultPort),
    acquirerPort: portFlag('acquirer-port', values['acquirer-port'], START_DEFAULTS.acquirerPort),
    shopPort: portFlag('shop-port', values['shop-port'], START_DEFAULTS.shopPort),
    host: values.host ?? START_DEFAULTS.host,
    dataDir: values.data,
    logLevel: env.TESSERA_LOG_LEVEL ?? START_DEFAULTS.logLevel,
  }
}

/** Where `tessera start` keeps the admin key it provisions the demo with (mode 0600). */
export const ADMIN_KEY_FILE = 'admin-key'

/** The admin key kept in the data folder while it still works; else a new one, written there. */
async function demoAdminKey(vault: Vault, dataDir: string): Promise<string> {
  const file = path.join(dataDir, ADMIN_KEY_FILE)
  const kept = fs.existsSync(file) ? fs.readFileSync(file, 'utf8').trim() : ''
  if (kept && (await vault.adminKeys.authenticate(kept))) return kept
  const { secret } = await vault.adminKeys.create()
  fs.writeFileSync(file, secret + '\n', { mode: 0o600 })
  fs.chmodSync(file, 0o600)
  return secret
}

const urlOf = (host: string, port: number) => `http://${host.includes(':') ? `[${host}]` : host}:${port}`

/** Fails early and plainly when a fixed port is taken (another `npm start` still running?). */
async function checkPortsFree(host: string, ports: { name: string; port: number }[]): Promise<void> {
  for (const { name, port } of ports) {
    if (port === 0) continue
    await new Promise<void>((resolve, reject) => {
      const probe = net.createServer()
      probe.once('error', () => reject(new StartError(`port ${port} (${name}) is in use on ${host}: is another \`npm start\` running? Pick other ports with --port, --acquirer-port and --shop-port.`)))
      probe.listen(port, host, () => probe.close(() => resolve()))
    })
  }
}

/** A child process that prints `{"url": ..., "port": ...}` once it listens. */
interface Child {
  name: string
  process: ChildProcess
  ready: Promise<string>
}

function spawnChild(name: string, script: string, args: string[], env: NodeJS.ProcessEnv): Child {
  // detached: a terminal's Ctrl-C reaches this process only, which then stops the children in order.
  const child = spawn(process.execPath, ['--import', 'tsx', '--import', EXIT_WITH_PARENT, script, ...args], { env, detached: true, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] })
  let output = ''
  let isReady = false
  const forward = (stream: NodeJS.WritableStream) => (chunk: Buffer) => {
    if (isReady) return void stream.write(String(chunk).replace(/^(?=.)/gm, `[${name}] `))
    output += chunk
  }
  const ready = new Promise<string>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      forward(process.stdout)(chunk)
      const match = /\{"url":"([^"]+)","port":\d+\}/.exec(output)
      if (!isReady && match) {
        isReady = true
        resolve(match[1] as string)
      }
    })
    child.stderr?.on('data', forward(process.stderr))
    child.once('exit', (code, signal) => {
      if (!isReady) reject(new StartError(`the ${name} exited (${signal ?? code}) before it was ready:\n${output}`))
    })
  })
  ready.catch(() => undefined)
  return { name, process: child, ready }
}

function stopChild(child: ChildProcess, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs)
    child.once('exit', () => {
      clearTimeout(timer)
      resolve()
    })
    child.kill('SIGTERM')
  })
}

async function waitAnswering(urls: string[], timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  await Promise.all(
    urls.map(async (url) => {
      for (;;) {
        const ok = await fetch(url, { signal: AbortSignal.timeout(2_000) }).then((r) => r.ok, () => false)
        if (ok) return
        if (Date.now() > deadline) throw new StartError(`${url} is not answering`)
        await new Promise((r) => setTimeout(r, 50))
      }
    }),
  )
}

/** The shop answers on 127.0.0.1 and localhost alike: both are allowed to embed the card field. */
function shopOrigins(shopUrl: string): string[] {
  const url = new URL(shopUrl)
  const loopback = url.hostname === '127.0.0.1' || url.hostname === 'localhost'
  return loopback ? [`http://localhost:${url.port}`, `http://127.0.0.1:${url.port}`] : [url.origin]
}

function banner(urls: { shop: string; vault: string; acquirer: string }, file: string, records: DemoProjectRecord[], created: number, seconds: string): string {
  const lines = [
    '',
    `Tessera is running (ready in ${seconds} s)`,
    '',
    `  Demo shop         ${urls.shop}    <- open this`,
    `  Vault             ${urls.vault}    (loader ${urls.vault}/v1/tessera.js, JWKS /v1/jwks)`,
    `  Sandbox acquirer  ${urls.acquirer}    (test cards: docs/acquirer.md)`,
    `  Admin key         in ${path.join(path.dirname(file), ADMIN_KEY_FILE)}, mode 0600 (the management API, /v1/projects)`,
    '',
    `Demo projects, test mode (${created === 0 ? 'reused' : `${created} created`}; keys kept in ${file}, mode 0600):`,
  ]
  for (const r of records) {
    lines.push(`  ${r.name.padEnd(18)} ${r.project_id}   ${describeSettings(r.settings)}`)
    lines.push(`    publishable      ${r.test.publishable_key}`)
    lines.push(`    secret           ${r.test.secret_key}`)
  }
  lines.push('', "Open the demo shop and pay with a test card (the shop's Test cards page lists them). Press Ctrl-C to stop all three.", '')
  return lines.join('\n')
}

const displayPath = (file: string) => {
  const relative = path.relative(process.cwd(), file)
  return relative && !relative.startsWith('..') ? relative : file
}

/** The three processes of a running demo, and stopping them together exactly once. */
class DemoProcesses {
  readonly children: Child[] = []
  vault: RunningVault | undefined
  #stopping = false

  spawn(name: string, script: string, args: string[], env: NodeJS.ProcessEnv): Child {
    const child = spawnChild(name, script, args, env)
    child.process.once('exit', (code, signal) => {
      if (this.#stopping) return
      process.stderr.write(`\nThe ${name} stopped unexpectedly (${signal ?? `exit code ${code}`}).\n`)
      void this.stop(1)
    })
    this.children.push(child)
    return child
  }

  async stop(exitCode: number): Promise<void> {
    if (this.#stopping) return
    this.#stopping = true
    process.stdout.write('\nStopping the demo shop, the sandbox acquirer and the vault…\n')
    await Promise.all([...this.children.map((c) => stopChild(c.process, START_DEFAULTS.stopGraceMs)), this.vault?.close()])
    process.exit(exitCode)
  }
}

interface Launched {
  urls: { shop: string; vault: string; acquirer: string }
  file: string
  records: DemoProjectRecord[]
  created: number
}

async function launch(flags: StartFlags, processes: DemoProcesses): Promise<Launched> {
  const env = { ...process.env, TESSERA_LOG_LEVEL: flags.logLevel }
  const acquirer = processes.spawn('acquirer', ACQUIRER_MAIN, ['--port', String(flags.acquirerPort), '--host', flags.host], env)
  // A fixed port is known at once; port 0 (tests) has to wait for the child to say which.
  const acquirerUrl = flags.acquirerPort === 0 ? await acquirer.ready : urlOf(flags.host, flags.acquirerPort)
  // The demo shop receives its webhooks on this machine: private webhook addresses are allowed for it.
  const config = loadConfig({ ...env, TESSERA_ACQUIRER_URL: acquirerUrl, TESSERA_ALLOW_PRIVATE_WEBHOOKS: '1' }, { port: flags.vaultPort, host: flags.host, dataDir: flags.dataDir })
  fs.mkdirSync(config.dataDir, { recursive: true, mode: 0o700 })
  const file = path.join(config.dataDir, DEMO_PROJECTS_FILE)
  const spawnShop = (vaultUrl: string) => processes.spawn('shop', SHOP_MAIN, ['--port', String(flags.shopPort), '--host', flags.host, '--vault', vaultUrl, '--projects', file], env)
  // With a fixed vault port the shop loads while the vault opens its database (it reads the
  // projects file only when a request comes).
  let shop = flags.vaultPort === 0 ? undefined : spawnShop(urlOf(flags.host, flags.vaultPort))
  const vault = (processes.vault = await startVault(config))
  shop ??= spawnShop(vault.url)
  const shopUrl = await shop.ready
  // The demo provisions its projects as a merchant's server would: over HTTP, with an admin key
  // and the published client.
  const management = createTesseraClient({ vaultUrl: vault.url, apiKey: await demoAdminKey(vault.vault, config.dataDir) })
  const { records, created } = await ensureDemoProjects(management, file, { origins: shopOrigins(shopUrl), webhookUrl: shopUrl + WEBHOOK_PATH })
  await acquirer.ready
  await waitAnswering([`${acquirerUrl}/health`, `${vault.url}/v1/jwks`, `${shopUrl}/health`])
  return { urls: { shop: shopUrl, vault: vault.url, acquirer: acquirerUrl }, file, records, created }
}

/** The flags, once the ports they name are free; null (exit code 2, reason printed) otherwise. */
async function checkedFlags(args: string[]): Promise<StartFlags | null> {
  try {
    const flags = parseFlags(args, process.env)
    await checkPortsFree(flags.host, [
      { name: 'vault', port: flags.vaultPort },
      { name: 'sandbox acquirer', port: flags.acquirerPort },
      { name: 'demo shop', port: flags.shopPort },
    ])
    return flags
  } catch (error) {
    if (!(error instanceof StartError) && !(error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) throw error
    process.stderr.write(`tessera start: ${(error as Error).message}\n`)
    process.exitCode = 2
    return null
  }
}

export async function start(args: string[]): Promise<void> {
  const began = performance.now()
  const flags = await checkedFlags(args)
  if (!flags) return
  const processes = new DemoProcesses()
  process.on('SIGINT', () => void processes.stop(0))
  process.on('SIGTERM', () => void processes.stop(0))
  try {
    const { urls, file, records, created } = await launch(flags, processes)
    const seconds = ((performance.now() - began) / 1000).toFixed(1)
    process.stdout.write(banner(urls, displayPath(file), records, created, seconds) + '\n')
  } catch (error) {
    process.stderr.write(`tessera start: ${error instanceof StartError ? error.message : String((error as Error).stack ?? error)}\n`)
    await processes.stop(1)
  }
}
