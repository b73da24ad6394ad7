// What the demo shop sells and who shops there: a fixed cart (priced on the server, never by
// the page) and a few demo customers to sign in as.

export interface CartLine {
  sku: string
  name: string
  detail: string
  /** A CSS class giving the product's tile colour (style-src 'self': no inline styles). */
  swatch: string
  quantity: number
  /** Minor units. */
  unitPrice: number
}

export const CURRENCY = 'EUR'

export const CART: readonly CartLine[] = Object.freeze([
  { sku: 'TT-TERRA-100', name: 'Terracotta tesserae', detail: 'Hand-cut, 1 kg', swatch: 'swatch-terracotta', quantity: 2, unitPrice: 1450 },
  { sku: 'TT-GLASS-050', name: 'Venetian glass smalti', detail: 'Lagoon blue, 500 g', swatch: 'swatch-lagoon', quantity: 1, unitPrice: 2290 },
  { sku: 'TT-NIPPER-01', name: 'Wheeled tile nipper', detail: 'Carbide wheels', swatch: 'swatch-steel', quantity: 1, unitPrice: 1860 },
])

export const SHIPPING = 495

export function cartTotal(lines: readonly CartLine[] = CART): { subtotal: number; shipping: number; total: number } {
  const subtotal = lines.reduce((sum, line) => sum + line.quantity * line.unitPrice, 0)
  return { subtotal, shipping: SHIPPING, total: subtotal + SHIPPING }
}

export function formatMoney(minor: number, currency = CURRENCY): string {
  return new Intl.NumberFormat('en-IE', { style: 'currency', currency }).format(minor / 100)
}

export interface DemoCustomer {
  /** The merchant's own customer id: what the vault stores as a token's customer_id. */
  id: string
  name: string
  email: string
}

export const CUSTOMERS: readonly DemoCustomer[] = Object.freeze([
  { id: 'cus_ada', name: 'Ada Lovelace', email: 'ada@example.test' },
  { id: 'cus_grace', name: 'Grace Hopper', email: 'grace@example.test' },
  { id: 'cus_alan', name: 'Alan Turing', email: 'alan@example.test' },
])

export const customerById = (id: string | undefined): DemoCustomer | undefined => CUSTOMERS.find((c) => c.id === id)
