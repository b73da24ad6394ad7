// How an acquirer's answer to a payout is read (docs/payments.md, "Failed payouts"): a 4xx
// refusal is a definitive failure, except the statuses that leave the outcome open; a decline
// stays a decline; a timeout or a fault is thrown, with a message that says the outcome is unknown.
import { describe, expect, it } from 'vitest'
import { AcquirerDeclinedError, AcquirerRejectedError, AcquirerTimeoutError, AcquirerUnavailableError } from '../../../backend/acquirer/client.js'
import { payoutOutcome, UNKNOWN_PAYOUT_MESSAGES } from '../../../backend/payments/payout-outcome.js'

const failing = (error: Error) => payoutOutcome(() => Promise.reject(error))

describe('payoutOutcome', () => {
  it.each([400, 404, 410, 413, 422])('reads a %i refusal as failed, with the acquirer’s code and reference', async (status) => {
    expect(await failing(new AcquirerRejectedError(status, 'payout_not_supported', 'no', undefined, 'po_1'))).toEqual({ kind: 'failed', failureCode: 'payout_not_supported', reference: 'po_1' })
  })

  it('keeps a failure without a reference, and replaces a code that does not look like one', async () => {
    expect(await failing(new AcquirerRejectedError(400, 'Bad Thing!', 'no'))).toEqual({ kind: 'failed', failureCode: 'acquirer_rejected', reference: null })
    expect(await failing(new AcquirerRejectedError(400, 'x'.repeat(65), 'no'))).toMatchObject({ failureCode: 'acquirer_rejected' })
  })

  it.each([408, 409, 425, 429])('passes a %i on: the payout may still happen (or have happened)', async (status) => {
    const error = new AcquirerRejectedError(status, 'idempotency_key_reused', 'no')
    await expect(failing(error)).rejects.toBe(error)
  })

  it('reads a decline as declined', async () => {
    expect(await failing(new AcquirerDeclinedError('insufficient_funds', 'po_2'))).toEqual({ kind: 'declined', declineCode: 'insufficient_funds', reference: 'po_2' })
  })

  it('throws a timeout and a fault with the same code, saying the outcome is unknown', async () => {
    await expect(failing(new AcquirerTimeoutError(800))).rejects.toMatchObject({ status: 504, code: 'acquirer_timeout', message: UNKNOWN_PAYOUT_MESSAGES.timeout, detail: 'no answer within 800 ms' })
    await expect(failing(new AcquirerUnavailableError('status 500: processing_error'))).rejects.toMatchObject({ status: 502, code: 'acquirer_unavailable', message: UNKNOWN_PAYOUT_MESSAGES.unavailable, detail: 'status 500: processing_error' })
  })

  it('answers an approved payout as the call gave it', async () => {
    const paid = { kind: 'approved', status: 'paid', amountCaptured: 5, reference: 'po_3' } as const
    expect(await payoutOutcome(async () => paid)).toBe(paid)
  })
})
