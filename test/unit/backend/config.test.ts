import { inspect } from 'node:util'
import { describe, expect, it } from 'vitest'
import { CONFIG_DEFAULTS, ConfigError, ENV_VARIABLES, loadConfig } from '../../../backend/config.js'
import { RATE_LIMIT_DEFAULTS } from '../../../backend/http/middleware/rate-limit.js'

const HEX_KEY = 'ab'.repeat(32)

describe('configuration from the environment', () => {
  it('takes the documented defaults from an empty environment, and treats empty strings as unset', () => {
    const config = loadConfig({ PORT: '', TESSERA_LOG_LEVEL: '' })
    expect(config).toMatchObject({ port: CONFIG_DEFAULTS.port, host: '127.0.0.1', logLevel: 'info', databaseUrl: undefined, trustProxy: 0, allowPrivateWebhooks: false, acquirerTimeoutMs: 5000, masterKeyReloadMs: 10_000 })
    expect(config.rateLimits).toEqual(RATE_LIMIT_DEFAULTS)
    expect(Object.isFrozen(config)).toBe(true)
  })

  it('reads typed values, and flags win over the environment', () => {
    const config = loadConfig(
      { PORT: '9000', TESSERA_ACQUIRER_TIMEOUT_MS: '250', TESSERA_PUBLIC_URL: 'https://vault.example/base', TESSERA_TRUST_PROXY: 'true', DATABASE_URL: 'postgres://u@127.0.0.1/db', TESSERA_MASTER_KEY: HEX_KEY, TESSERA_RATE_LIMITS: '{"tokenize": {"perAddress": null}}' },
      { host: '0.0.0.0' },
    )
    expect(config).toMatchObject({ port: 9000, host: '0.0.0.0', acquirerTimeoutMs: 250, publicOrigin: 'https://vault.example', trustProxy: 1, databaseUrl: 'postgres://u@127.0.0.1/db' })
    expect(config.rateLimits.tokenize.perAddress).toBeNull()
    expect(loadConfig({ PORT: '9000' }, { port: 0 }).port).toBe(0)
  })

  it('parses the given master keys once, current first, and never prints them', () => {
    const previous = Buffer.alloc(32, 7).toString('base64')
    const config = loadConfig({ TESSERA_MASTER_KEY: HEX_KEY, TESSERA_MASTER_KEYS_PREVIOUS: previous })
    expect(config.masterKeys?.map((k) => Buffer.from(k.expose()).toString('hex'))).toEqual([HEX_KEY, '07'.repeat(32)])
    const printed = JSON.stringify(config) + inspect(config, { depth: 5 })
    for (const secret of [HEX_KEY, previous, Buffer.from(HEX_KEY, 'hex').toString('base64')]) expect(printed).not.toContain(secret)
    // Without TESSERA_MASTER_KEY the key files in the data folder are used, previous keys included.
    expect(loadConfig({ TESSERA_MASTER_KEYS_PREVIOUS: previous }).masterKeys).toBeUndefined()
  })

  const BAD: [string, string, RegExp][] = [
    ['PORT', 'abc', /^PORT is invalid: expected a port number 0-65535$/],
    ['PORT', '70000', /^PORT is invalid: expected a port number/],
    ['TESSERA_ACQUIRER_TIMEOUT_MS', '5s', /^TESSERA_ACQUIRER_TIMEOUT_MS is invalid: expected milliseconds/],
    ['TESSERA_ACQUIRER_TIMEOUT_MS', '0', /^TESSERA_ACQUIRER_TIMEOUT_MS is invalid/],
    ['TESSERA_LOG_LEVEL', 'verbose', /^TESSERA_LOG_LEVEL is invalid: expected fatal, error, warn, info, debug, trace, silent$/],
    ['DATABASE_URL', 'mysql://127.0.0.1/db', /^DATABASE_URL is invalid: expected a postgres:\/\/ URL$/],
    ['TESSERA_PUBLIC_URL', 'vault.example', /^TESSERA_PUBLIC_URL is invalid: expected an http\(s\) URL$/],
    ['TESSERA_TRUST_PROXY', 'yes', /^TESSERA_TRUST_PROXY is invalid: expected the number of proxies/],
    ['TESSERA_ALLOW_PRIVATE_WEBHOOKS', 'sure', /^TESSERA_ALLOW_PRIVATE_WEBHOOKS is invalid: expected 1, true, 0 or false$/],
    ['TESSERA_MASTER_KEY', 'c2hvcnQ=', /^TESSERA_MASTER_KEY is invalid: expected 32 bytes as 64 hex digits or base64$/],
    ['TESSERA_MASTER_KEYS_PREVIOUS', `${HEX_KEY},nope`, /^TESSERA_MASTER_KEYS_PREVIOUS is invalid/],
    ['TESSERA_MASTER_KEY_RELOAD_MS', '-1', /^TESSERA_MASTER_KEY_RELOAD_MS is invalid/],
    ['TESSERA_RATE_LIMITS', '{"tokenize": ', /^TESSERA_RATE_LIMITS is invalid: expected JSON like/],
    ['TESSERA_RATE_LIMITS', '{"tokenize": {"perKey": {"perSecond": 0, "burst": 1}}}', /^TESSERA_RATE_LIMITS is invalid: expected JSON like .*perSecond > 0/],
  ]

  it.each(BAD)('stops on %s=%j with the variable and what it expected, never the value', (name, value, message) => {
    let error: unknown
    try {
      loadConfig({ [name]: value })
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(ConfigError)
    expect((error as Error).message).toMatch(message)
    expect((error as Error).message).not.toContain('\n')
    if (value.length > 3 && !value.startsWith('{')) expect((error as Error).message).not.toContain(value)
  })

  it('documents every variable it reads', () => {
    for (const [name, { doc }] of Object.entries(ENV_VARIABLES)) expect(doc.length, name).toBeGreaterThan(10)
  })
})
