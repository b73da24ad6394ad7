// Seeds stored tokens straight into the SQLite file, outside the HTTP path, so the large-
// repository figures can be measured without waiting for a million tokenizations. Each row
// is what the vault would store: a sealed number, an HMAC fingerprint, masked fields.
import crypto from 'node:crypto'
import path from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import { cardExpiresAt } from '../../backend/clock.js'
import { fingerprint } from '../../backend/crypto/fingerprint.js'
import { CardNumber } from '../../backend/crypto/secret.js'
import type { Vault } from '../../backend/vault.js'
import { retainUntil } from '../../backend/tokens/retention.js'
import { luhnCheckDigit } from '../../common/card-rules.js'

function randomVisa(): string {
  let partial = '4'
  while (partial.length < 15) partial += crypto.randomInt(10)
  return partial + luhnCheckDigit(partial)
}

/** How many seeded token values the retrieve phase reads: more rows than SQLite's page cache holds at 1M. */
const SAMPLE = 20_000

/** Seeds `count` tokens; answers a sample of their values spread evenly over the whole table. */
export async function seedTokens(vault: Vault, projectId: string, count: number): Promise<string[]> {
  const sample: string[] = []
  const every = Math.max(1, Math.floor(count / SAMPLE))
  // A vault opened in this process supplies the real keys; the rows go in through a plain
  // better-sqlite3 handle in large transactions.
  const keys = await vault.projects.keys(projectId)
  const cipher = vault.cipher
  const db = new BetterSqlite3(path.join(vault.config.dataDir, 'tessera.db'))
  db.pragma('journal_mode = WAL')
  db.pragma('synchronous = OFF')
  const insert = db.prepare(`insert into tokens (project_id, mode, token, status, customer_id, brand, bin, last4, exp_month, exp_year, holder_name, fingerprint, account_key, data_key_id, card_ciphertext, verification_strategy, verification_result, created_at, updated_at, last_used_at, expires_at, retention_extension_months, retain_until, deleted_at)
    values (@project_id, @mode, @token, @status, @customer_id, @brand, @bin, @last4, @exp_month, @exp_year, @holder_name, @fingerprint, @account_key, @data_key_id, @card_ciphertext, @verification_strategy, @verification_result, @created_at, @updated_at, @last_used_at, @expires_at, @retention_extension_months, @retain_until, @deleted_at)`)
  const batch = 10_000
  const start = Date.now() - count * 1000
  for (let done = 0; done < count; done += batch) {
    const rows: Record<string, unknown>[] = []
    for (let i = done; i < Math.min(count, done + batch); i++) {
      const number = CardNumber.of(randomVisa())
      const token = crypto.randomBytes(32).toString('hex')
      if (i % every === 0) sample.push(token)
      const sealed = await cipher.seal(number, { projectId, mode: 'test', token })
      const expMonth = 1 + (i % 12)
      const expYear = 2028 + (i % 6)
      const at = new Date(start + i * 1000).toISOString()
      const row = {
        project_id: projectId, mode: 'test', token, status: 'active', customer_id: `cust_${i % 50_000}`, brand: 'visa', bin: number.bin, last4: number.last4,
        exp_month: expMonth, exp_year: expYear, holder_name: null, fingerprint: fingerprint(keys.fingerprintKey, number), account_key: null,
        data_key_id: sealed.dataKeyId, card_ciphertext: sealed.ciphertext, verification_strategy: 'basic', verification_result: 'passed',
        created_at: at, updated_at: at, last_used_at: null, expires_at: cardExpiresAt(expMonth, expYear).toISOString(), retention_extension_months: 0, retain_until: '', deleted_at: null,
      }
      row.retain_until = retainUntil(row)
      rows.push(row)
    }
    db.transaction(() => rows.forEach((r) => insert.run(r)))()
  }
  db.pragma('wal_checkpoint(TRUNCATE)')
  db.close()
  return sample
}
