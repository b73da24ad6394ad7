// The `tessera` command line (commander): every command with `--help`, `--version`, and usage
// errors (unknown flags, bad values) answered with the command's usage and exit code 2.
import fs from 'node:fs'
import { Command, CommanderError } from 'commander'
import { addKeyCommands } from './cli/key-commands.js'
import { UsageError } from './cli/options.js'
import { addManagementCommands } from './cli/project-commands.js'
import { addRunCommands } from './cli/run-commands.js'
import { MasterKeyError } from './crypto/master-check.js'
import { TesseraError } from './errors.js'
import { DatabaseStartError } from './store/database.js'
import { ConfigError } from './config.js'

export { stopOnSignal } from './cli/run-commands.js'

const VERSION = (JSON.parse(fs.readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version

const ENVIRONMENT = `
Every command that opens the vault takes --data DIR (default ./data).
Environment: DATABASE_URL (postgres://... to use PostgreSQL), TESSERA_MASTER_KEY (32 bytes,
hex or base64; otherwise DIR/master.key, created for an empty database only), TESSERA_PUBLIC_URL,
TESSERA_LOG_LEVEL.
See README.md for every variable.`

export function buildProgram(): Command {
  const program = new Command('tessera')
    .description('Tessera: a self-hostable card vault with a drop-in secure card field')
    .version(VERSION, '-v, --version', 'print the version')
    .exitOverride()
    .showHelpAfterError()
    .showSuggestionAfterError()
    .configureOutput({ writeErr: (text) => process.stderr.write(text) })
    .addHelpText('after', ENVIRONMENT)
  addRunCommands(program)
  addManagementCommands(program)
  addKeyCommands(program)
  return program
}

/** The innermost command `argv` names, for the usage that goes with an error found after parsing. */
function commandOf(program: Command, argv: string[]): Command {
  let command = program
  for (const arg of argv) {
    const next = command.commands.find((c) => c.name() === arg)
    if (!next) break
    command = next
  }
  return command
}

export async function main(argv: string[]): Promise<void> {
  const program = buildProgram()
  if (argv.length === 0) {
    program.outputHelp()
    return
  }
  try {
    await program.parseAsync(argv, { from: 'user' })
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version are answers, not failures; everything else commander refuses is usage.
      process.exitCode = error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help' ? 0 : 2
      return
    }
    if (error instanceof UsageError) {
      process.stderr.write(`tessera: ${error.message}\n\n${commandOf(program, argv).helpInformation()}`)
      process.exitCode = 2
      return
    }
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
    // The vault's own refusals (a webhook URL it will not call, an unknown project, a 409).
    if (error instanceof TesseraError) {
      process.stderr.write(`tessera: ${error.message}\n`)
      process.exitCode = 1
      return
    }
    throw error
  }
}
