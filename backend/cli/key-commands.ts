// The vault's own keys (JWE keys, the master key, data keys, webhook signing keys) and the
// audit chains' check.
import type { Command } from 'commander'
import { dataOption, parseWhole, print, withVault } from './options.js'

export function addKeyCommands(program: Command): void {
  const keys = program.command('keys').description("the vault's own keys (not a project's API keys: see `tessera api-key`)")

  keys
    .command('rotate')
    .description('add a new JWE key; older keys decrypt for a grace period')
    .addOption(dataOption())
    .action(async (flags: { data?: string }) =>
      print(await withVault(flags.data, async (vault) => `New JWE key ${await vault.keyRing.rotate()} is active; previous keys decrypt until their grace period ends.`)),
    )

  keys
    .command('rotate-master')
    .description('a new master key; every wrapped key is wrapped again')
    .option('--wait-ms <ms>', 'how long running vaults get to pick up the new key before the old one is dropped', parseWhole(0, Number.MAX_SAFE_INTEGER))
    .addOption(dataOption())
    .action(async (flags: { data?: string; waitMs?: number }) => {
      const [{ rotateMaster }, { loadConfig }] = await Promise.all([import('../master-rotation.js'), import('../config.js')])
      const result = await rotateMaster({ config: loadConfig(process.env, { dataDir: flags.data }), waitMs: flags.waitMs, log: print })
      if (Object.keys(result.remaining).length > 0) process.exitCode = 1
    })

  keys
    .command('rotate-data')
    .description('a new data key per project and mode; stored cards are re-encrypted in the background, the old key destroyed')
    .option('--project <project-id>', 'only this project')
    .option('--wait-ms <ms>', 'how long running vaults get to pick up the new key before re-encryption starts', parseWhole(0, Number.MAX_SAFE_INTEGER))
    .option('--batch-size <n>', 'cards re-encrypted per transaction', parseWhole(1, Number.MAX_SAFE_INTEGER))
    .addOption(dataOption())
    .action(async (flags: { data?: string; project?: string; waitMs?: number; batchSize?: number }) => {
      const [{ rotateDataKeys }, { loadConfig }] = await Promise.all([import('../data-key-rotation.js'), import('../config.js')])
      const results = await rotateDataKeys({ config: loadConfig(process.env, { dataDir: flags.data }), projectId: flags.project, waitMs: flags.waitMs, batchSize: flags.batchSize, log: print })
      // Exit 1 when an old data key could not be destroyed yet.
      if (results.some((r) => r.keptKeyIds.length > 0 || r.cardsLost)) process.exitCode = 1
    })

  program
    .command('audit')
    .description("the audit chains: one per project and mode")
    .command('verify')
    .description('recompute the audit chains; exit 1 naming the first event that does not match')
    .option('--project <project-id>', 'only this project')
    .addOption(dataOption())
    .action(async (flags: { data?: string; project?: string }) => {
      const [{ auditVerify }, { loadConfig }] = await Promise.all([import('../audit/verify.js'), import('../config.js')])
      const config = loadConfig(process.env, { dataDir: flags.data })
      const result = await auditVerify({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, projectId: flags.project })
      ;(result.exitCode === 0 ? process.stdout : process.stderr).write(result.lines.join('\n') + '\n')
      process.exitCode = result.exitCode
    })

  program
    .command('webhook-keys')
    .description('webhook signing keys')
    .command('rotate')
    .description('a new webhook signing key; the old one stays published 7 days')
    .addOption(dataOption())
    .action(async (flags: { data?: string }) =>
      print(await withVault(flags.data, async (vault) => `New webhook signing key ${await vault.webhookKeys.rotate()} signs from now on; the previous key stays in /v1/webhook-keys for its grace period.`)),
    )
}
