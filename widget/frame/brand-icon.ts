// The brand mark beside the number: a small SVG drawn with DOM calls (no markup strings, no
// inline style, so the frame's CSP holds), and the brand's name for screen readers.
import type { Brand } from '../../common/card-rules.js'

interface Mark {
  name: string
  fill: string
  /** Short text drawn on the card face; circles are drawn instead for the two-circle marks. */
  text?: string
  circles?: [string, string]
}

const MARKS: Record<Brand, Mark> = {
  visa: { name: 'Visa', fill: '#1a1f71', text: 'VISA' },
  mastercard: { name: 'Mastercard', fill: '#252525', circles: ['#eb001b', '#f79e1b'] },
  'american-express': { name: 'American Express', fill: '#2e77bc', text: 'AMEX' },
  'diners-club': { name: 'Diners Club', fill: '#0079be', text: 'DC' },
  discover: { name: 'Discover', fill: '#ff6000', text: 'DISC' },
  jcb: { name: 'JCB', fill: '#0b4ea2', text: 'JCB' },
  unionpay: { name: 'UnionPay', fill: '#d10429', text: 'UP' },
  maestro: { name: 'Maestro', fill: '#252525', circles: ['#eb001b', '#00a2e5'] },
  mir: { name: 'Mir', fill: '#0f754e', text: 'MIR' },
  elo: { name: 'Elo', fill: '#000000', text: 'elo' },
  hiper: { name: 'Hiper', fill: '#f37421', text: 'HIPER' },
  hipercard: { name: 'Hipercard', fill: '#b3131b', text: 'HIPER' },
  verve: { name: 'Verve', fill: '#00425f', text: 'VERVE' },
  troy: { name: 'Troy', fill: '#00a0e3', text: 'TROY' },
  unknown: { name: '', fill: '#e6e8eb' },
}

export const brandName = (brand: string): string => MARKS[brand as Brand]?.name || brand

const SVG = 'http://www.w3.org/2000/svg'

function svgElement(tag: string, attributes: Record<string, string>): SVGElement {
  const element = document.createElementNS(SVG, tag)
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value)
  return element
}

function drawMark(mark: Mark): SVGElement {
  const svg = svgElement('svg', { viewBox: '0 0 32 20', width: '32', height: '20', 'aria-hidden': 'true', focusable: 'false' })
  svg.append(svgElement('rect', { width: '32', height: '20', rx: '3', fill: mark.fill }))
  if (mark.circles) {
    svg.append(svgElement('circle', { cx: '12.5', cy: '10', r: '6', fill: mark.circles[0] }))
    svg.append(svgElement('circle', { cx: '19.5', cy: '10', r: '6', fill: mark.circles[1], 'fill-opacity': '0.85' }))
  } else if (mark.text) {
    const size = mark.text.length > 4 ? '6' : '8'
    const text = svgElement('text', { x: '16', y: '13', 'text-anchor': 'middle', 'font-size': size, 'font-weight': '700', 'font-family': 'Arial, sans-serif', fill: '#ffffff' })
    text.textContent = mark.text
    svg.append(text)
  } else {
    // No brand yet: a plain card with a stripe.
    svg.append(svgElement('rect', { y: '5', width: '32', height: '3', fill: '#9aa1a9' }))
  }
  return svg
}

/** The brand's mark alone, hidden from screen readers (for where the brand is also written out). */
export const brandMark = (brand: string): SVGElement => drawMark(MARKS[brand as Brand] ?? MARKS.unknown)

/** Replaces the icon's content with the mark of `brand`; `unknownLabel` names the plain card. */
export function showBrand(holder: HTMLElement, brand: Brand, unknownLabel: string): void {
  const mark = MARKS[brand] ?? MARKS.unknown
  holder.setAttribute('aria-label', mark.name || unknownLabel)
  if (holder.dataset.brand === brand) return
  holder.dataset.brand = brand
  holder.replaceChildren(drawMark(mark))
}
