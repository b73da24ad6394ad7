// Request ids: the vault's own only. A client's `Request-Id` is never taken over: the id goes
// into logs and the audit chain, where a client must not write. Each id is 96 random bits, cut
// from a pool of random bytes: one randomBytes call costs more than the rest of making an id,
// so the pool fills once per 256 ids.
import crypto from 'node:crypto'

export const REQUEST_ID_HEADER = 'Request-Id'

const IDS_PER_FILL = 256
const HEX_PER_ID = 24
let pool = ''
let at = 0

export function newRequestId(): string {
  if (at >= pool.length) {
    pool = crypto.randomBytes((HEX_PER_ID / 2) * IDS_PER_FILL).toString('hex')
    at = 0
  }
  const id = 'req_' + pool.slice(at, at + HEX_PER_ID)
  at += HEX_PER_ID
  return id
}
