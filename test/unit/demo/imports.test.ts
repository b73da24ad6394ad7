// The demo talks to the vault as a merchant would: through the published client (`@tessera/node`,
// built from packages/node/) over HTTP, sharing only the neutral modules in common/. Walked from
// every file under demo/, the import graph (static, dynamic and type imports, re-exports) never
// reaches backend/, and the published client reached along the way does not either.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { forbiddenImports, resolveSpecifier, sourcesUnder } from '../../helpers/import-graph.js'

const ROOT = path.resolve(import.meta.dirname, '../../..')
const underBackend = (root: string) => (file: string) => !path.relative(path.join(root, 'backend'), file).startsWith('..')
const chains = (root: string, dir: string) => forbiddenImports(sourcesUnder(path.join(root, dir)), underBackend(root)).map((chain) => chain.map((f) => path.relative(root, f)).join(' -> '))

describe('demo/ imports nothing from backend/', () => {
  it('no file under demo/ reaches backend/, directly or through what it imports', () => {
    const demoFiles = sourcesUnder(path.join(ROOT, 'demo'))
    expect(demoFiles.length).toBeGreaterThan(20)
    expect(chains(ROOT, 'demo')).toEqual([])
  })

  it('the published client the demo uses (packages/node) reaches nothing in backend/ either', () => {
    expect(chains(ROOT, 'packages/node')).toEqual([])
  })

  describe('the walk itself', () => {
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'tessera-imports-'))
    afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }))
    const write = (file: string, text: string) => {
      fs.mkdirSync(path.dirname(path.join(scratch, file)), { recursive: true })
      fs.writeFileSync(path.join(scratch, file), text)
    }

    it('finds a backend import made through common/, a type import, a re-export or a dynamic import, and names the chain', () => {
      write('backend/logger.ts', 'export const x = 1\n')
      write('backend/clock.ts', 'export const x = 2\n')
      write('backend/errors/index.ts', 'export class E {}\n')
      write('common/shared.ts', "export { x } from '../backend/clock.js'\n")
      write('demo/shop/a.ts', "import { x } from '../../common/shared.js'\nexport const y = x\n")
      write('demo/shop/b.ts', "import type { E } from '../../backend/errors/index.js'\nexport type F = E\n")
      write('demo/acquirer/c.ts', "export const load = () => import('../../backend/logger.js')\n")
      write('demo/acquirer/d.ts', "import { z } from 'hono'\nimport { y } from '../shop/a.js'\nexport { z, y }\n")
      expect(chains(scratch, 'demo').sort()).toEqual([
        'demo/acquirer/c.ts -> backend/logger.ts',
        'demo/shop/a.ts -> common/shared.ts -> backend/clock.ts',
        'demo/shop/b.ts -> backend/errors/index.ts',
      ])
    })

    it('resolves `.js` specifiers to the TypeScript sources, and leaves packages alone', () => {
      expect(resolveSpecifier(path.join(scratch, 'demo/shop/a.ts'), '../../common/shared.js')).toBe(path.join(scratch, 'common/shared.ts'))
      expect(resolveSpecifier(path.join(scratch, 'demo/shop/a.ts'), '../../backend/errors')).toBe(path.join(scratch, 'backend/errors/index.ts'))
      expect(resolveSpecifier(path.join(scratch, 'demo/shop/a.ts'), 'hono')).toBeUndefined()
    })
  })
})
