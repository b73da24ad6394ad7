// What the `tessera` commands share: the `--data` option, value parsers that refuse bad input
// as usage errors (exit 2), and opening the vault of `--data` for one command.
import { InvalidArgumentError, Option, type Command } from 'commander'
import { normalizeOrigin } from '../projects/origins.js'
import type { Vault } from '../vault.js'

/** A bad flag value or combination found after parsing: printed with the command's usage, exit 2. */
export class UsageError extends Error {}

export const DATA_HELP = 'data folder: tessera.db (SQLite, unless DATABASE_URL is set) and master.key (unless TESSERA_MASTER_KEY is set); default ./data'

export const dataOption = () => new Option('--data <dir>', DATA_HELP)

export function parsePort(value: string): number {
  const port = Number(value)
  if (!/^\d{1,5}$/.test(value) || port > 65535) throw new InvalidArgumentError('a port number from 0 to 65535 is expected.')
  return port
}

export function parseWhole(min: number, max: number) {
  return (value: string): number => {
    const n = Number(value)
    if (!/^\d+$/.test(value) || n < min || n > max) throw new InvalidArgumentError(`a whole number from ${min} to ${max} is expected.`)
    return n
  }
}

export const collect = (value: string, previous: string[] = []) => [...previous, value]

/** Collects `--origin` values, normalised (`HTTPS://Shop.Example/` → `https://shop.example`). */
export function collectOrigin(value: string, previous: string[] = []): string[] {
  const origin = normalizeOrigin(value)
  if (!origin) throw new InvalidArgumentError(`${value} is not an origin like https://shop.example (scheme, host and port only).`)
  return [...previous, origin]
}

export const choice = (flags: string, description: string, choices: readonly string[]) => new Option(flags, description).choices(choices)

/** Opens the vault of `--data` (or DATABASE_URL) for one command; logs only warnings, to stderr. */
export async function withVault<T>(data: string | undefined, work: (vault: Vault) => Promise<T>): Promise<T> {
  // Loaded on use: `--help` and usage errors answer without loading the whole vault.
  const [{ loadConfig }, { createLogger }, { createVault }] = await Promise.all([import('../config.js'), import('../logger.js'), import('../vault.js')])
  const vault = await createVault(loadConfig(process.env, { dataDir: data }), { logger: createLogger({ level: 'warn', destination: process.stderr as never }) })
  try {
    return await work(vault)
  } finally {
    await vault.close()
  }
}

export const print = (text: string) => void process.stdout.write(text.endsWith('\n') ? text : text + '\n')

export const printJson = (value: unknown) => print(JSON.stringify(value))

/** Adds `--data` to a command and every subcommand that opens the vault says so in its help. */
export function withData(command: Command): Command {
  return command.addOption(dataOption())
}
