// What the shop remembers in memory (a real merchant keeps this in its database): the orders it
// charged, and the tokens tried on the Settings page, per project.
import type { MaskedCard, TokenObject } from './vault-client.js'

export interface Order {
  at: string
  projectName: string
  customerId: string
  paymentId: string | null
  status: string
  amount: number
  currency: string
  card: MaskedCard
  token: string
  saved: boolean
  declineCode: string | null
}

export interface TokenTry {
  at: string
  token: TokenObject
  /** 1-based position of an earlier try in this project that got the same token value. */
  sameAs: number | null
}

/** A hosted payment page this shop sent a shopper to: whose it is, and whether its order is booked. */
export interface HostedPageRecord {
  sid: string
  projectName: string
  customerId: string
  booked: boolean
}

export const RECORD_LIMITS = { orders: 100, triesPerProject: 12, hostedPages: 100 } as const

export class ShopRecords {
  readonly #orders: Order[] = []
  readonly #tries = new Map<string, TokenTry[]>()
  readonly #hostedPages = new Map<string, HostedPageRecord>()

  addHostedPage(pageId: string, record: Omit<HostedPageRecord, 'booked'>): void {
    this.#hostedPages.set(pageId, { ...record, booked: false })
    if (this.#hostedPages.size > RECORD_LIMITS.hostedPages) this.#hostedPages.delete(this.#hostedPages.keys().next().value as string)
  }

  hostedPage(pageId: string): HostedPageRecord | undefined {
    return this.#hostedPages.get(pageId)
  }

  /** Cards saved for an attempt that failed (timeout, error) and has not paid: customer → tokens. */
  readonly #unpaid = new Map<string, Set<string>>()

  markUnpaid(customerId: string, token: string): void {
    const tokens = this.#unpaid.get(customerId) ?? new Set<string>()
    this.#unpaid.set(customerId, tokens.add(token))
  }

  markPaid(customerId: string, token: string): void {
    this.#unpaid.get(customerId)?.delete(token)
  }

  /** Takes the customer's unpaid saved cards, except `keep` (the attempt still being retried). */
  takeUnpaid(customerId: string, keep?: string): string[] {
    const tokens = [...(this.#unpaid.get(customerId) ?? [])].filter((t) => t !== keep)
    for (const token of tokens) this.#unpaid.get(customerId)?.delete(token)
    return tokens
  }

  addOrder(order: Order): void {
    this.#orders.push(order)
    if (this.#orders.length > RECORD_LIMITS.orders) this.#orders.shift()
  }

  /** Newest first. */
  orders(): readonly Order[] {
    return [...this.#orders].reverse()
  }

  addTry(projectName: string, token: TokenObject): TokenTry {
    const tries = this.#tries.get(projectName) ?? []
    const earlier = tries.findIndex((t) => t.token.token === token.token)
    const entry = { at: new Date().toISOString(), token, sameAs: earlier === -1 ? null : earlier + 1 }
    tries.push(entry)
    if (tries.length > RECORD_LIMITS.triesPerProject) tries.shift()
    this.#tries.set(projectName, tries)
    return entry
  }

  /** Oldest first, numbered from 1 as the page shows them. */
  tries(projectName: string): readonly TokenTry[] {
    return this.#tries.get(projectName) ?? []
  }
}
