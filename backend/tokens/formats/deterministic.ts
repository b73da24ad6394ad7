// `deterministic`: 66 hex characters, a version byte then HMAC-SHA256 of number and expiry
// under the project's token key, as seed 002 describes: the same card and expiry give the
// same token within a project, and unrelated tokens in another project.
import crypto from 'node:crypto'
import type { TokenFormat } from './format.js'

const VERSION = '01'

export const deterministicFormat: TokenFormat = {
  name: 'deterministic',
  deterministic: true,
  supplied: false,
  generate({ number, expMonth, expYear, tokenKey }) {
    const mac = crypto
      .createHmac('sha256', tokenKey.expose())
      .update(`token|${number.reveal()}|${String(expMonth).padStart(2, '0')}|${expYear}`)
      .digest('hex')
    return VERSION + mac
  },
}
