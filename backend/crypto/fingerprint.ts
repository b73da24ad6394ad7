// A card's fingerprint: HMAC-SHA256 of the number under the project's own key, so the same
// card gives the same fingerprint within a project and unrelated ones across projects.
import crypto from 'node:crypto'
import type { CardNumber, SecretBytes } from './secret.js'

export function fingerprint(projectKey: SecretBytes, number: CardNumber): string {
  return crypto.createHmac('sha256', projectKey.expose()).update('fingerprint|').update(number.reveal()).digest('base64url')
}
