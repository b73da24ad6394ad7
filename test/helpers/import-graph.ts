// The repository's own import graph, read with the TypeScript compiler's pre-processor (static
// and dynamic imports, `export ... from`, `import type`), relative specifiers resolved the way
// the sources write them (`./x.js` names `./x.ts`). Packages from node_modules are not followed.
import fs from 'node:fs'
import path from 'node:path'
import ts from 'typescript'

const SOURCE_EXTENSIONS = ['.ts', '.tsx', '.mts', '.d.ts']

/** The file a relative specifier names, or undefined when it names none of the sources. */
export function resolveSpecifier(from: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.') && !path.isAbsolute(specifier)) return undefined
  const target = path.resolve(path.dirname(from), specifier)
  const stem = target.replace(/\.(m?js|jsx)$/, '')
  const candidates = [target, ...SOURCE_EXTENSIONS.map((ext) => stem + ext), ...SOURCE_EXTENSIONS.map((ext) => path.join(target, `index${ext}`))]
  return candidates.find((file) => fs.existsSync(file) && fs.statSync(file).isFile())
}

export function importsOf(file: string): string[] {
  const info = ts.preProcessFile(fs.readFileSync(file, 'utf8'), true, true)
  return info.importedFiles.map((f) => f.fileName)
}

/** Every TypeScript source below `dir`. */
export function sourcesUnder(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && /\.(ts|tsx)$/.test(e.name))
    .map((e) => path.join(e.parentPath, e.name))
}

/**
 * Walks the graph from `roots`; for each reached file for which `forbidden` holds, the chain of
 * imports that reached it (first file first).
 */
export function forbiddenImports(roots: string[], forbidden: (file: string) => boolean): string[][] {
  const via = new Map<string, string | null>(roots.map((r) => [r, null]))
  const queue = [...roots]
  const found: string[][] = []
  while (queue.length > 0) {
    const file = queue.shift() as string
    if (forbidden(file)) {
      const chain = [file]
      for (let at = via.get(file); at; at = via.get(at)) chain.unshift(at)
      found.push(chain)
      continue
    }
    for (const specifier of importsOf(file)) {
      const target = resolveSpecifier(file, specifier)
      if (target && !via.has(target)) {
        via.set(target, file)
        queue.push(target)
      }
    }
  }
  return found
}
