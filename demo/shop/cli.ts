// The shop's command line, shared by demo/shop/main.ts and `tessera demo`. The log level comes
// from TESSERA_LOG_LEVEL (default info), as for the vault.
import { parseArgs } from 'node:util'
import { SHOP_DEFAULTS, startShop } from './server.js'

/** A bad flag value, coded like parseArgs' own errors so `tessera` prints its usage. */
function badValue(message: string): Error {
  return Object.assign(new Error(message), { code: 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' })
}

export async function runShopFromArgs(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { port: { type: 'string' }, host: { type: 'string' }, vault: { type: 'string' }, projects: { type: 'string' } } })
  const port = values.port === undefined ? undefined : Number(values.port)
  if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535)) throw badValue('--port must be a port number')
  if (values.vault !== undefined && !URL.canParse(values.vault)) throw badValue('--vault must be the vault URL, e.g. http://127.0.0.1:8787')
  const running = await startShop({ port, host: values.host, vaultUrl: values.vault, projectsFile: values.projects ?? SHOP_DEFAULTS.projectsFile, logLevel: process.env.TESSERA_LOG_LEVEL || undefined })
  process.stdout.write(JSON.stringify({ url: running.url, port: running.port }) + '\n')
  let stopping = false
  const stop = async () => {
    if (stopping) return
    stopping = true
    await running.close()
    process.exit(0)
  }
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
}
