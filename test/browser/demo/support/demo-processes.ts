// The whole demo as `npm start` runs it (`tessera start`: the vault, the sandbox acquirer and
// the demo shop, three processes), on free ports over a temporary data folder.
import type { ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { startTessera, stop } from '../../../helpers/processes.js'
import { tempDir, TEST_RATE_LIMITS } from '../../../helpers/vault.js'

export interface RunningDemo {
  shopUrl: string
  vaultUrl: string
  acquirerUrl: string
  dataDir: string
  child: ChildProcess
  /** Everything `tessera start` printed so far. */
  output(): string
  /** Sends `signal` (as Ctrl-C does) and resolves to the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>
}

function printedUrl(output: string, label: string): string {
  const match = new RegExp(`${label}\\s+(http://\\S+)`).exec(output)
  if (!match) throw new Error(`no ${label} URL in:\n${output}`)
  return match[1] as string
}

export async function startDemo(): Promise<RunningDemo> {
  // The vault serves the card field from dist/; without it every page would say the vault is down.
  if (!existsSync('dist/tessera.js')) throw new Error('dist/ is missing: run `npm run build` before the browser tests')
  const dataDir = tempDir('tessera-demo-')
  const args = ['start', '--port', '0', '--acquirer-port', '0', '--shop-port', '0', '--data', dataDir]
  // Every page and request of the test comes from 127.0.0.1: lift the per-address limits.
  const { child, output } = await startTessera(args, /Press Ctrl-C to stop all three/, { TESSERA_RATE_LIMITS: TEST_RATE_LIMITS }, 60_000)
  const text = output()
  return {
    shopUrl: printedUrl(text, 'Demo shop'),
    vaultUrl: printedUrl(text, 'Vault'),
    acquirerUrl: printedUrl(text, 'Sandbox acquirer'),
    dataDir,
    child,
    output,
    stop: (signal = 'SIGINT') => stop(child, signal),
  }
}

/** Resolves true when nothing accepts connections at `url` any more. */
export async function refusesConnections(url: string): Promise<boolean> {
  return fetch(url, { signal: AbortSignal.timeout(2000) }).then(
    () => false,
    () => true,
  )
}
