// Sums a .cpuprofile by self time (as shares of busy time, idle left out): the top functions, and the share per area of the code
// (our folders, node_modules packages, node internals, GC).
import fs from 'node:fs'

interface Node { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }
const profile = JSON.parse(fs.readFileSync(process.argv[2] as string, 'utf8')) as { nodes: Node[]; samples: number[]; timeDeltas: number[] }
const byId = new Map(profile.nodes.map((n) => [n.id, n]))
const self = new Map<number, number>()
profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)))
// Shares of busy time: a server profile is mostly (idle) between requests, which says nothing.
const idleIds = new Set(profile.nodes.filter((n) => n.callFrame.functionName === '(idle)').map((n) => n.id))
const idle = [...self].filter(([id]) => idleIds.has(id)).reduce((a, [, t]) => a + t, 0)
for (const id of idleIds) self.delete(id)
const total = [...self.values()].reduce((a, b) => a + b, 0)
console.log(`busy ${(total / 1e6).toFixed(2)} s of ${((total + idle) / 1e6).toFixed(2)} s; shares below are of busy time\n`)
const area = (url: string, name: string) => {
  if (!url) return name.startsWith('(') ? name : '(native)'
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)
  if (m) return m[1] as string
  const own = /\/(backend\/[^/]+|common|scripts|widget)\//.exec(url)
  if (own) return own[1] as string
  return url.startsWith('node:') ? url : '(other)'
}
const areas = new Map<string, number>()
const fns = new Map<string, number>()
for (const [id, t] of self) {
  const n = byId.get(id) as Node
  const a = area(n.callFrame.url, n.callFrame.functionName)
  areas.set(a, (areas.get(a) ?? 0) + t)
  const f = `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.replace(/^.*\/(node_modules\/|backend\/)/, '$1')}:${n.callFrame.lineNumber + 1}`
  fns.set(f, (fns.get(f) ?? 0) + t)
}
const pct = (t: number) => `${((100 * t) / total).toFixed(1)} %`
console.log('| area | self time |\n| --- | --- |')
for (const [a, t] of [...areas].sort((x, y) => y[1] - x[1]).slice(0, 18)) console.log(`| ${a} | ${pct(t)} |`)
console.log('\n| function | self time |\n| --- | --- |')
for (const [f, t] of [...fns].sort((x, y) => y[1] - x[1]).slice(0, 20)) console.log(`| ${f} | ${pct(t)} |`)
