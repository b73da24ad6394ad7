// What the vault's 3-D Secure page tells the dialog on the merchant's page, over postMessage:
// it is ready, the payment's outcome (as the vault reports it), or the shopper pressed Escape.
// Both sides check the other's origin and window; these checks check the shape.
import type { ErrorCode } from '../protocol.js'

export interface NextActionResult {
  status: string
  decline_code?: string
}

export type ChallengePageMessage =
  | { tessera3ds: 1; type: 'ready' }
  | { tessera3ds: 1; type: 'cancel' }
  | { tessera3ds: 1; type: 'result'; result: NextActionResult }
  | { tessera3ds: 1; type: 'error'; code: ErrorCode }

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null

export function parseChallengePageMessage(data: unknown): ChallengePageMessage | null {
  if (!isRecord(data) || data.tessera3ds !== 1) return null
  if (data.type === 'ready' || data.type === 'cancel') return { tessera3ds: 1, type: data.type }
  // The vault's code, typed as its closed set; only the shape is checked (a newer vault may add one).
  if (data.type === 'error' && typeof data.code === 'string' && data.code.length <= 64) return { tessera3ds: 1, type: 'error', code: data.code as ErrorCode }
  if (data.type !== 'result' || !isRecord(data.result) || typeof data.result.status !== 'string') return null
  const declineCode = data.result.decline_code
  if (declineCode !== undefined && typeof declineCode !== 'string') return null
  return { tessera3ds: 1, type: 'result', result: declineCode === undefined ? { status: data.result.status } : { status: data.result.status, decline_code: declineCode } }
}
