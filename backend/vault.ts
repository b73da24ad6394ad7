// Assembles a vault from its configuration: store, keys, services, the HTTP app, the server.
import path from 'node:path'
import { serve, type ServerType } from '@hono/node-server'
import type { Hono } from 'hono'
import type { AcquirerClient } from './acquirer/client.js'
import { HttpAcquirerClient } from './acquirer/http-client.js'
import { createApp } from './app.js'
import { AuditLog } from './audit/log.js'
import { systemClock, type Clock } from './clock.js'
import type { Config } from './config.js'
import { SQLITE_FILE } from './config.js'
import { CardCipher } from './crypto/card-cipher.js'
import { JweKeyRing, type JweKeyRingOptions } from './crypto/jwe-keys.js'
import type { KeySource } from './crypto/key-source.js'
import { masterKeyRemedy } from './crypto/master-key.js'
import { WebhookDispatcher, type DispatcherOptions } from './events/dispatcher.js'
import { EventLog } from './events/event-log.js'
import { systemResolve, type Resolve, type WebhookUrlPolicy } from './events/webhook-url.js'
import { Outbox } from './events/outbox.js'
import { WebhookKeyRing, type WebhookKeyRingOptions } from './events/signing-keys.js'
import { closeServer, CLOSE_GRACE_MS, trackSockets } from './http/close-server.js'
import type { AppEnv } from './http/env.js'
import { ACCOUNT_UPDATER_DEFAULTS, AccountUpdaterJob } from './jobs/account-updater.js'
import { lifecycleJobs, type JobScheduler, type JobsOptions } from './jobs/index.js'
import { checkMasterKey, openKeySource, type MasterKeyCheck } from './key-check.js'
import { createLogger, type Logger } from './logger.js'
import { PaymentList } from './payments/list.js'
import { TokenRefresher } from './payments/token-refresh.js'
import { CardReplacement } from './tokens/card-replacement.js'
import { PaymentPages } from './payment-pages/service.js'
import { findPaymentAction } from './store/payment-actions.js'
import { PaymentRecorder } from './payments/recording.js'
import { PaymentService } from './payments/service.js'
import { ChallengeResults } from './payments/challenge-result.js'
import { ThreeDSecureFlow } from './payments/three-d-secure.js'
import { PAYMENT_ACTION_EXPIRY_DEFAULTS, PaymentActionExpiryJob } from './jobs/payment-action-expiry.js'
import { TokenCards } from './payments/token-cards.js'
import { TokenVerifier } from './payments/token-verification.js'
import { AdminKeys } from './projects/admin-keys.js'
import { ProjectService } from './projects/service.js'
import { openStore, type Store, type StoreConfig } from './store/database.js'
import { Erasure } from './store/erasure.js'
import { dataKeyStore, keyTableStore } from './store/key-tables.js'
import { CardIntake } from './tokens/card-intake.js'
import { CardPayloadReader } from './tokens/card-payload.js'
import { auditRecorder, recorders, type ChangeRecorder } from './tokens/changes.js'
import { TokenLifecycle } from './tokens/lifecycle.js'
import { CustomerSessions } from './tokens/customer-sessions.js'
import { TokenSearch } from './tokens/search.js'
import { Tokenizer } from './tokens/tokenize.js'
import { builtInStrategies, type VerificationStrategies } from './verification/index.js'
import { TEST_CARD_NUMBERS } from '../common/test-cards.js'

export interface VaultOptions {
  clock?: Clock
  logger?: Logger
  keySource?: KeySource
  strategies?: VerificationStrategies
  /** Default: the HTTP client for config.acquirerUrl / acquirerKey (the sandbox unless configured). */
  acquirer?: AcquirerClient
  jweKeys?: JweKeyRingOptions
  /** The numbers test mode accepts (and live mode refuses); default: the documented cards and the sandbox acquirer's. */
  testCards?: Iterable<string>
  recorder?: ChangeRecorder
  webhookKeys?: WebhookKeyRingOptions
  webhooks?: DispatcherOptions
  jobs?: JobsOptions
  /** How webhook hosts are resolved (default: the system resolver); tests inject one. */
  resolve?: Resolve
  /** startVault starts the webhook dispatcher and the jobs unless this is false (tests drive them by hand). */
  background?: boolean
}

export interface Vault {
  config: Config
  store: Store
  keyRing: JweKeyRing
  projects: ProjectService
  adminKeys: AdminKeys
  cipher: CardCipher
  tokenizer: Tokenizer
  app: Hono<AppEnv>
  logger: Logger
  webhookKeys: WebhookKeyRing
  /** Where token changes and payments write their events (`outbox.recordPaymentEvent(trx, ...)`). */
  outbox: Outbox
  dispatcher: WebhookDispatcher
  jobs: JobScheduler
  /** Whether the master key still unwraps the stored keys (readiness; start-up refuses without it). */
  checkMasterKey(): Promise<MasterKeyCheck>
  /** Starts the dispatcher and the jobs on their timers; close() stops them. */
  startBackground(): void
  close(): Promise<void>
}

/** Where the store lives and its PostgreSQL bounds, from the configuration. */
export function storeConfig(config: Config): StoreConfig {
  return {
    databaseUrl: config.databaseUrl,
    sqliteFile: path.join(config.dataDir, SQLITE_FILE),
    poolSize: config.dbPoolSize,
    connectTimeoutMs: config.dbConnectTimeoutMs,
    statementTimeoutMs: config.dbStatementTimeoutMs,
  }
}

export async function createVault(config: Config, options: VaultOptions = {}): Promise<Vault> {
  const clock = options.clock ?? systemClock
  const logger = options.logger ?? createLogger({ level: config.logLevel })
  const store = await openStore(storeConfig(config), logger)
  const { db, dialect } = store
  let keySource: KeySource
  try {
    keySource = await openKeySource(db, config, options.keySource)
  } catch (error) {
    await store.close()
    throw error
  }
  const keyRing = new JweKeyRing(keyTableStore(db, 'jwe_keys'), keySource, clock, options.jweKeys)
  await keyRing.init()
  const webhookUrls: WebhookUrlPolicy = { allowPrivate: config.allowPrivateWebhooks, resolve: options.resolve ?? systemResolve }
  const projects = new ProjectService(db, keySource, clock, { webhookUrls })
  const adminKeys = new AdminKeys(db, clock)
  const cipher = new CardCipher(keySource, dataKeyStore(db, clock))
  const payloads = new CardPayloadReader(keyRing, clock)
  const webhookKeys = new WebhookKeyRing(keyTableStore(db, 'webhook_keys'), keySource, clock, options.webhookKeys)
  await webhookKeys.init()
  const dispatcher = new WebhookDispatcher({ db, clock, logger, signingKey: () => webhookKeys.signingKey(), webhookUrls }, options.webhooks)
  const outbox = new Outbox({ onAppend: () => dispatcher.nudge() })
  const events = new EventLog({ db, clock, projects, onRedeliver: () => dispatcher.nudge() })
  const erasure = new Erasure(db, dialect, logger)
  // The audit append goes last: on PostgreSQL it holds its chain's head locked until the commit.
  const recorder = erasure.recorder(options.recorder ?? recorders(outbox.recorder, auditRecorder))
  const jobs = lifecycleJobs({ db, clock, logger, recorder }, options.jobs)
  const acquirer = options.acquirer ?? new HttpAcquirerClient({ url: config.acquirerUrl, apiKey: config.acquirerKey, timeoutMs: config.acquirerTimeoutMs })
  const accountUpdater = new AccountUpdaterJob({ db, clock, acquirer, projects, cipher, recorder })
  jobs.add(accountUpdater, ACCOUNT_UPDATER_DEFAULTS.intervalMs)
  const intake = new CardIntake({ payloads, clock, testCards: new Set(options.testCards ?? TEST_CARD_NUMBERS) })
  const tokenizer = new Tokenizer({ db, writes: store.writes, clock, projects, cipher, intake, strategies: options.strategies ?? builtInStrategies(acquirer), recorder })
  const replacement = new CardReplacement({ db, clock, projects, cipher, tokenizer, intake, recorder })
  const lifecycle = new TokenLifecycle({ db, clock, projects, intake, recorder, replacement })
  const search = new TokenSearch(db, projects, intake)
  const sessions = new CustomerSessions(db, clock)
  const tokenCards = new TokenCards({ db, clock, cipher })
  const paymentRecorder = new PaymentRecorder({ db, logger, tokenCards, events: outbox })
  const paymentList = new PaymentList(db, projects)
  const tokenRefresher = new TokenRefresher({ db, acquirer, tokenCards, updater: accountUpdater })
  const threeDSecure = new ThreeDSecureFlow({ db, clock, acquirer, cipher, projects, recorder: paymentRecorder })
  const payments = new PaymentService({ db, clock, acquirer, intake, tokenizer, tokenCards, recorder: paymentRecorder, threeDSecure })
  const challengeResults = new ChallengeResults({ db, clock, logger, acquirer, cipher, projects, tokenizer, tokenCards, recorder: paymentRecorder })
  jobs.add(new PaymentActionExpiryJob(challengeResults), PAYMENT_ACTION_EXPIRY_DEFAULTS.intervalMs)
  const tokenVerifier = new TokenVerifier({ db, clock, acquirer, tokenCards, recorder })
  const pages = new PaymentPages({ db, clock, projects, payments, tokenizer, events: outbox, challengeUrl: async (paymentId) => (await findPaymentAction(db, paymentId))?.challenge_url ?? null })
  const readiness = {
    database: () => store.ping(),
    databaseImpaired: () => store.availability.unavailable !== null,
    masterKey: async () => {
      const check = await checkMasterKey(db, keySource)
      if (!check.ok) throw new Error(check.code)
    },
  }
  const app = createApp({ db, clock, logger, keyRing, projects, adminKeys, tokenizer, lifecycle, search, sessions, events, audit: new AuditLog(db, projects), webhookKeys, payments, paymentList, threeDSecure, challengeResults, acquirer, tokenVerifier, tokenRefresher, pages, publicOrigin: config.publicOrigin, trustProxy: config.trustProxy, rateLimits: config.rateLimits, readiness, database: store.availability })
  const startBackground = () => {
    dispatcher.start()
    jobs.start()
  }
  const close = async () => {
    await Promise.all([jobs.stop(), dispatcher.stop(), projects.flush(), adminKeys.flush()])
    await erasure.close()
    await store.close()
  }
  const remedy = options.keySource ? undefined : masterKeyRemedy(config)
  return { config, store, keyRing, projects, adminKeys, cipher, tokenizer, app, logger, webhookKeys, outbox, dispatcher, jobs, checkMasterKey: () => checkMasterKey(db, keySource, remedy), startBackground, close }
}

export interface RunningVault {
  vault: Vault
  url: string
  port: number
  close(): Promise<void>
}

export async function startVault(config: Config, options: VaultOptions = {}): Promise<RunningVault> {
  const vault = await createVault(config, options)
  if (options.background !== false) vault.startBackground()
  const server = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch: vault.app.fetch, port: config.port, hostname: config.host }, () => resolve(s))
  })
  const sockets = trackSockets(server)
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : config.port
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`
  vault.logger.info({ url, database: vault.store.dialect.name }, 'vault listening')
  return {
    vault,
    url,
    port,
    async close() {
      await closeServer(server, sockets, CLOSE_GRACE_MS)
      await vault.close()
    },
  }
}
