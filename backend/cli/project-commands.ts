// Projects, their API keys and admin keys from the command line: the same project service the
// management API calls, so both accept, normalise and refuse the same values.
import type { Command } from 'commander'
import { NotFoundError } from '../errors.js'
import { ROLL_LIMITS } from '../projects/api-keys.js'
import { presentProject, type ApiKeyObject, type NewApiKeyObject } from '../projects/present.js'
import { ACCOUNT_UPDATER_SETTINGS, ON_DUPLICATES, PERMISSIONS, TOKEN_FORMATS, TOKEN_MANAGEMENTS, VERIFICATIONS, type Permission, type Project } from '../projects/project.js'
import type { ProjectSettingsInput } from '../projects/settings.js'
import { choice, collect, collectOrigin, dataOption, parseWhole, print, printJson, UsageError, withVault } from './options.js'

interface SettingsFlags {
  name?: string
  displayName?: string
  origin?: string[]
  verification?: Project['verification']
  tokenFormat?: Project['tokenFormat']
  tokenManagement?: Project['tokenManagement']
  onDuplicate?: Project['onDuplicate']
  webhook?: string
  tokenizeOnPurchase?: boolean
  accountUpdater?: Project['accountUpdater']
  data?: string
  json?: boolean
  requireCvcForSavedCards?: boolean
}

function settingsOptions(command: Command, originHelp: string): Command {
  return command
    .option('--display-name <name>', 'the name shoppers see on the hosted payment page')
    .option('--origin <url>', originHelp, collectOrigin)
    .addOption(choice('--verification <strategy>', 'how cards are checked (default basic)', VERIFICATIONS))
    .addOption(choice('--token-format <format>', 'how token values are made (default random)', TOKEN_FORMATS))
    .addOption(choice('--token-management <mode>', 'one token per tokenization or per card (default unique-token)', TOKEN_MANAGEMENTS))
    .addOption(choice('--on-duplicate <action>', 'under unique-account: return the token or answer 409 (default return)', ON_DUPLICATES))
    .option('--require-cvc-for-saved-cards', 'a customer paying with a saved card must give its CVC (the card field asks it)')
    .option('--webhook <url>', 'where signed events are POSTed')
    .option('--tokenize-on-purchase', 'a successful card payment with a customer saves the card without save_card')
    .addOption(choice('--account-updater <setting>', "whether the account-updater job updates this project's tokens (default off)", ACCOUNT_UPDATER_SETTINGS))
    .addOption(dataOption())
    .option('--json', 'print JSON')
}

function toSettings(flags: SettingsFlags): ProjectSettingsInput {
  return {
    ...(flags.name !== undefined && { name: flags.name }),
    ...(flags.displayName !== undefined && { displayName: flags.displayName }),
    ...(flags.origin !== undefined && { allowedOrigins: flags.origin }),
    ...(flags.verification !== undefined && { verification: flags.verification }),
    ...(flags.tokenFormat !== undefined && { tokenFormat: flags.tokenFormat }),
    ...(flags.tokenManagement !== undefined && { tokenManagement: flags.tokenManagement }),
    ...(flags.onDuplicate !== undefined && { onDuplicate: flags.onDuplicate }),
    ...(flags.webhook !== undefined && { webhookUrl: flags.webhook }),
    ...(flags.requireCvcForSavedCards === true && { requireCvcForSavedCards: true }),
    ...(flags.tokenizeOnPurchase !== undefined && { tokenizeOnPurchase: flags.tokenizeOnPurchase }),
    ...(flags.accountUpdater !== undefined && { accountUpdater: flags.accountUpdater }),
  }
}

const describeProject = (p: Project) =>
  [
    `Project ${p.id} (${p.name}${p.displayName ? `, shown as "${p.displayName}"` : ''})`,
    `  allowed origins   ${p.allowedOrigins.join(' ')}`,
    `  webhook URL       ${p.webhookUrl ?? '(none)'}`,
    `  settings          verification ${p.verification} · token format ${p.tokenFormat} · ${p.tokenManagement} (on duplicate: ${p.onDuplicate}) · tokenize on purchase ${p.tokenizeOnPurchase ? 'on' : 'off'} · account updater ${p.accountUpdater}${p.requireCvcForSavedCards ? ' · CVC required for saved cards' : ''}`,
  ].join('\n')

const describeKey = (k: ApiKeyObject) =>
  `${k.id}  ${k.kind.padEnd(11)} ${k.mode}  ${k.prefix}…${k.last4 ?? '????'}  ${k.permissions ? k.permissions.join(',') : 'all'}  created ${k.created_at}` +
  `${k.expires_at ? `  expires ${k.expires_at}` : ''}  last used ${k.last_used_at ?? 'never'}${k.name ? `  "${k.name}"` : ''}`

const printNewKey = (key: NewApiKeyObject, json: boolean | undefined, note = '') =>
  json ? printJson(key) : print(`${describeKey(key)}\n  ${key.secret}\n${note}This key is stored hashed and cannot be shown again.`)

/** The project service's own checks of new settings (the webhook URL rule included), with no vault open. */
async function checkBeforeOpening(data: string | undefined, input: ProjectSettingsInput): Promise<void> {
  const [{ loadConfig }, { checkSettings }, { systemResolve }] = await Promise.all([import('../config.js'), import('../projects/service.js'), import('../events/webhook-url.js')])
  await checkSettings(input, { allowPrivate: loadConfig(process.env, { dataDir: data }).allowPrivateWebhooks, resolve: systemResolve })
}

function addProjectCommands(program: Command): void {
  const project = program.command('project').description('projects: a merchant\'s card repository, its settings and its keys')

  settingsOptions(project.command('create').description('a new project and its four keys (printed once)').requiredOption('--name <name>', 'the project\'s name'), 'an allowed origin (repeat for more), like https://shop.example; required')
    .action(async (flags: SettingsFlags & { name: string }) => {
      if (!flags.origin?.length) throw new UsageError('at least one --origin is required')
      const input = { ...toSettings(flags), name: flags.name, allowedOrigins: flags.origin }
      // Refused before the vault opens: a first command with a bad setting leaves no data folder behind.
      await checkBeforeOpening(flags.data, input)
      const { project: p, keys } = await withVault(flags.data, (vault) => vault.projects.create(input))
      if (flags.json) return printJson({ project_id: p.id, test: keys.test, live: keys.live })
      print(
        `${describeProject(p)}\n` +
          `  test publishable key  ${keys.test.publishable_key}\n  test secret key       ${keys.test.secret_key}\n` +
          `  live publishable key  ${keys.live.publishable_key}\n  live secret key       ${keys.live.secret_key}\n` +
          `Secret keys are stored hashed and cannot be shown again.`,
      )
    })

  project
    .command('list')
    .description('every project, newest first')
    .addOption(dataOption())
    .option('--json', 'print JSON')
    .action(async (flags: { data?: string; json?: boolean }) => {
      const all = (await withVault(flags.data, (vault) => vault.projects.list())).reverse()
      if (flags.json) return printJson(all.map(presentProject))
      print(all.length ? all.map(describeProject).join('\n') : 'No projects yet: `tessera project create --name N --origin URL`.')
    })

  project
    .command('show <project-id>')
    .description('one project\'s settings')
    .addOption(dataOption())
    .option('--json', 'print JSON')
    .action(async (id: string, flags: { data?: string; json?: boolean }) => {
      const p = await withVault(flags.data, (vault) => vault.projects.get(id))
      flags.json ? printJson(presentProject(p)) : print(describeProject(p))
    })

  settingsOptions(project.command('update <project-id>').description('change settings (token format and management only while the project holds no token); running vaults follow within 10 s').option('--name <name>', 'a new name'), 'the new allowed origins (repeat; replaces the list)')
    .option('--no-webhook', 'remove the webhook URL')
    .option('--no-display-name', 'remove the display name')
    .option('--no-tokenize-on-purchase', 'save cards only with save_card again')
    .action(async (id: string, flags: Omit<SettingsFlags, 'webhook' | 'displayName'> & { webhook?: string | false; displayName?: string | false }) => {
      const settings = { ...toSettings({ ...flags, webhook: flags.webhook || undefined, displayName: flags.displayName || undefined }), ...(flags.webhook === false && { webhookUrl: null }), ...(flags.displayName === false && { displayName: null }) }
      if (Object.keys(settings).length === 0) throw new UsageError('name at least one setting to change')
      const p = await withVault(flags.data, (vault) => vault.projects.update(id, settings))
      flags.json ? printJson(presentProject(p)) : print(describeProject(p))
    })
}

function addApiKeyCommands(program: Command): void {
  const apiKey = program.command('api-key').description("a project's API keys: list, restricted keys, roll, delete")
  const projectOption = (c: Command) => c.requiredOption('--project <project-id>', 'the project').addOption(dataOption()).option('--json', 'print JSON')

  projectOption(apiKey.command('list').description("the project's working keys (prefix and last four, never the secret)")).action(async (flags: { project: string; data?: string; json?: boolean }) => {
    const keys = await withVault(flags.data, async (vault) => vault.projects.apiKeys.list((await vault.projects.get(flags.project)).id))
    flags.json ? printJson(keys) : print(keys.map(describeKey).join('\n'))
  })

  projectOption(apiKey.command('create').description('a restricted key (rk_) limited to permissions, printed once'))
    .addOption(choice('--mode <mode>', 'test or live', ['test', 'live']).makeOptionMandatory())
    .option('--permission <permission>', `one of ${PERMISSIONS.join(', ')} (repeat for more)`, collect)
    .option('--name <name>', 'a label for the key')
    .action(async (flags: { project: string; mode: 'test' | 'live'; permission?: string[]; name?: string; data?: string; json?: boolean }) => {
      const permissions = flags.permission ?? []
      if (permissions.length === 0) throw new UsageError('at least one --permission is required')
      const unknown = permissions.find((p) => !(PERMISSIONS as readonly string[]).includes(p))
      if (unknown) throw new UsageError(`--permission ${unknown} is not one of ${PERMISSIONS.join(', ')}`)
      const key = await withVault(flags.data, async (vault) => vault.projects.apiKeys.createRestricted((await vault.projects.get(flags.project)).id, { mode: flags.mode, permissions: permissions as Permission[], name: flags.name }))
      printNewKey(key, flags.json)
    })

  projectOption(apiKey.command('roll <key-id>').description('a new key now; the old one works until its expiry'))
    .option('--expires-in-hours <hours>', `how long the old key keeps working, 0-${ROLL_LIMITS.maxHours} (default ${ROLL_LIMITS.defaultHours})`, parseWhole(0, ROLL_LIMITS.maxHours))
    .action(async (keyId: string, flags: { project: string; expiresInHours?: number; data?: string; json?: boolean }) => {
      const key = await withVault(flags.data, async (vault) => vault.projects.apiKeys.roll((await vault.projects.get(flags.project)).id, keyId, flags.expiresInHours))
      printNewKey(key, flags.json, `The old key ${keyId} works until ${new Date(Date.parse(key.created_at) + (flags.expiresInHours ?? ROLL_LIMITS.defaultHours) * 3_600_000).toISOString()}.\n`)
    })

  projectOption(apiKey.command('delete <key-id>').description('the key stops working now (running vaults within 10 s)')).action(async (keyId: string, flags: { project: string; data?: string; json?: boolean }) => {
    const deleted = await withVault(flags.data, async (vault) => vault.projects.apiKeys.delete((await vault.projects.get(flags.project)).id, keyId))
    flags.json ? printJson(deleted) : print(`Deleted ${keyId}.`)
  })
}

function addAdminKeyCommands(program: Command): void {
  const adminKey = program.command('admin-key').description('admin keys (ak_) for the management API, /v1/projects')

  adminKey
    .command('create')
    .description('a new admin key, printed once and stored hashed')
    .addOption(dataOption())
    .option('--json', 'print JSON')
    .action(async (flags: { data?: string; json?: boolean }) => {
      const key = await withVault(flags.data, (vault) => vault.adminKeys.create())
      if (flags.json) return printJson({ object: 'admin_key', id: key.id, secret: key.secret, created_at: key.created_at })
      print(`Admin key ${key.id}\n  ${key.secret}\nSend it as \`Authorization: Bearer ${key.secret.slice(0, 7)}…\` to /v1/projects. It is stored hashed and cannot be shown again.`)
    })

  adminKey
    .command('list')
    .description('the admin keys that work (prefix and last four, never the secret)')
    .addOption(dataOption())
    .option('--json', 'print JSON')
    .action(async (flags: { data?: string; json?: boolean }) => {
      const keys = await withVault(flags.data, (vault) => vault.adminKeys.list())
      if (flags.json) return printJson(keys)
      print(keys.length ? keys.map((k) => `${k.id}  ${k.prefix}…${k.last4}  created ${k.created_at}  last used ${k.last_used_at ?? 'never'}`).join('\n') : 'No admin keys: `tessera admin-key create`.')
    })

  adminKey
    .command('revoke <admin-key-id>')
    .description('the admin key stops working now')
    .addOption(dataOption())
    .action(async (id: string, flags: { data?: string }) => {
      if (!(await withVault(flags.data, (vault) => vault.adminKeys.revoke(id)))) throw new NotFoundError('admin_key_not_found', `No working admin key ${id}.`)
      print(`Revoked ${id}.`)
    })
}

export function addManagementCommands(program: Command): void {
  addProjectCommands(program)
  addApiKeyCommands(program)
  addAdminKeyCommands(program)
}
