// The start-up self-check: the key source must unwrap the keys the database already holds. A
// vault with the wrong master key (a mistyped TESSERA_MASTER_KEY, a lost master.key) would
// otherwise start, publish keys, and answer every stored card with an error.
import { TesseraError } from '../errors.js'
import type { KeySource } from './key-source.js'

/** A stored wrapped value (backend/store/rewrap.ts finds one per table and master key). */
export interface WrappedValue {
  /** What it is, for the message: "data keys", "project keys"... */
  kind: string
  masterKeyId: string
  wrapped: string
  context: string
}

export type MasterKeyCheck = { ok: true } | { ok: false; code: 'master_key_mismatch' | 'master_key_missing'; cause: string }

/** Raised at start-up when the check fails: the CLI prints its message as one line and exits 1. */
export class MasterKeyError extends TesseraError {
  constructor(code: 'master_key_mismatch' | 'master_key_missing', message: string) {
    super(503, 'api_error', code, message)
  }
}

const list = (items: string[]) => (items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`)

/** Tries to unwrap each value; the cause names what failed, the key ids that wrapped it, and `remedy`. */
export async function checkWrappedValues(keySource: KeySource, values: WrappedValue[], remedy?: string): Promise<MasterKeyCheck> {
  const failed: WrappedValue[] = []
  for (const value of values) {
    try {
      await keySource.unwrap(value.wrapped, value.context)
    } catch {
      failed.push(value)
    }
  }
  if (failed.length === 0) return { ok: true }
  const kinds = list([...new Set(failed.map((f) => f.kind))])
  const ids = [...new Set(failed.map((f) => f.masterKeyId))].join(', ')
  return {
    ok: false,
    code: 'master_key_mismatch',
    cause: `master key does not unwrap the stored ${kinds} (key id ${ids}; loaded: ${keySource.currentKeyId})${remedy ? `; ${remedy}` : ''}`,
  }
}

/** The cause when there is no key at all but the database holds wrapped values. */
export function missingKeyCause(file: string, values: WrappedValue[], remedy: string): MasterKeyCheck {
  const ids = [...new Set(values.map((v) => v.masterKeyId))].join(', ')
  return { ok: false, code: 'master_key_missing', cause: `${file} is missing but the database holds keys wrapped by master key ${ids} (a new master key would open none of them); ${remedy}` }
}
