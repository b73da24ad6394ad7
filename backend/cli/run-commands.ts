// The long-running commands: the vault (`serve`), the whole demo (`start`), the demo shop and
// the sandbox acquirer alone.
// The vault's modules load when a command runs, so `--help` and usage errors answer at once.
import type { Command } from 'commander'
import type { RunningVault } from '../vault.js'
import { dataOption, parsePort, parseWhole, print } from './options.js'

export interface ServeFlags {
  port?: number
  host?: string
  data?: string
  workers?: number
}

export function stopOnSignal(running: RunningVault[]): void {
  const stop = async () => {
    await Promise.all(running.map((r) => r.close()))
    process.exit(0)
  }
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
}

async function serve(flags: ServeFlags): Promise<void> {
  const [{ loadConfig }, { createLogger }, { startVault }, { isClusterWorker, runPrimary, runWorker }] = await Promise.all([import('../config.js'), import('../logger.js'), import('../vault.js'), import('../cluster.js')])
  const config = loadConfig(process.env, { port: flags.port, host: flags.host, dataDir: flags.data })
  const workers = flags.workers ?? 1
  if (isClusterWorker()) {
    stopOnSignal([await runWorker(config)])
  } else if (workers > 1) {
    await runPrimary(config, workers, createLogger({ level: config.logLevel }))
  } else {
    stopOnSignal([await startVault(config)])
  }
}

/** Flags back into the argument list the demo's own parsers read. */
function argsOf(flags: Record<string, unknown>, names: Record<string, string>): string[] {
  return Object.entries(names).flatMap(([key, flag]) => (flags[key] === undefined ? [] : [flag, String(flags[key])]))
}

async function acquirer(flags: { port?: number; host?: string }): Promise<void> {
  const [{ startAcquirer }, { loadConfig }] = await Promise.all([import('../../demo/acquirer/server.js'), import('../config.js')])
  const config = loadConfig(process.env)
  const running = await startAcquirer({ port: flags.port, host: flags.host, apiKey: config.acquirerKey, logLevel: config.logLevel })
  print(`Sandbox acquirer ${running.url} (test cards: docs/acquirer.md)`)
  const stop = async () => {
    await running.close()
    process.exit(0)
  }
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
}

export function addRunCommands(program: Command): void {
  program
    .command('start')
    .description('the vault, the sandbox acquirer and the demo shop, with demo projects (npm start)')
    .option('--port <port>', 'vault port (default 8787, or $PORT)', parsePort)
    .option('--acquirer-port <port>', 'sandbox acquirer port (default 8790)', parsePort)
    .option('--shop-port <port>', 'demo shop port (default 3000)', parsePort)
    .option('--host <host>', 'address all three listen on (default 127.0.0.1)')
    .addOption(dataOption())
    .action(async (flags) => {
      const { start } = await import('../../launcher/start.js')
      await start(argsOf(flags, { port: '--port', acquirerPort: '--acquirer-port', shopPort: '--shop-port', host: '--host', data: '--data' }))
    })

  program
    .command('serve')
    .description('the vault alone: API, loader and frame')
    .option('--port <port>', 'port (default 8787; 0 picks a free one)', parsePort)
    .option('--host <host>', 'address to listen on (default 127.0.0.1)')
    .option('--workers <n>', 'processes sharing the port (node:cluster), 1-64', parseWhole(1, 64))
    .addOption(dataOption())
    .action(serve)

  program
    .command('demo')
    .description('the demo shop alone')
    .option('--port <port>', 'port (default 3000)', parsePort)
    .option('--host <host>', 'address to listen on (default 127.0.0.1)')
    .option('--vault <url>', 'the vault URL (default http://127.0.0.1:8787)')
    .option('--projects <file>', 'the demo projects file `tessera start` writes (default ./data/demo-projects.json)')
    .action(async (flags) => {
      const { runShopFromArgs } = await import('../../demo/shop/cli.js')
      await runShopFromArgs(argsOf(flags, { port: '--port', host: '--host', vault: '--vault', projects: '--projects' }))
    })

  program
    .command('acquirer')
    .description('the sandbox acquirer alone')
    .option('--port <port>', 'port (default 8790)', parsePort)
    .option('--host <host>', 'address to listen on (default 127.0.0.1)')
    .action(acquirer)
}
