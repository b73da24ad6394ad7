// `npm run pack [-- OUT_DIR]`: builds the installable packages into dist/packages/ (or OUT_DIR):
//   @tessera/card   loadTessera() + the element's .d.ts types + custom-elements.json
//   @tessera/react  <TesseraCard> for React (@lit/react), typed event props
//   @tessera/node   the typed API client (openapi-fetch over packages/node/openapi.d.ts) + verifyWebhook
// Each is compiled with the TypeScript API (JS + .d.ts), its runtime and type dependencies are
// bundled in the tarball (bundleDependencies), so `npm install ./tessera-*.tgz` needs no registry.
import { execFileSync } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import ts from 'typescript'
import { NODE_TYPES_FILE, openApiTypes, PACKAGE_VERSION } from './openapi.js'

const ROOT = path.resolve(import.meta.dirname, '..')

interface PackageSpec {
  dir: 'card' | 'react' | 'node'
  name: string
  description: string
  /** Bundled into the tarball with everything they depend on. */
  bundled: string[]
  peerDependencies?: Record<string, string>
  peerDependenciesMeta?: Record<string, { optional: boolean }>
  dependencies?: Record<string, string>
  paths?: Record<string, string[]>
  extra?: (pkgDir: string) => Record<string, unknown>
}

const rootPackage = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string; dependencies: Record<string, string>; devDependencies: Record<string, string> }
const versionOf = (name: string) => rootPackage.dependencies[name] ?? rootPackage.devDependencies[name] ?? (JSON.parse(readFileSync(path.join(ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version

/** Compiles one package's entry (and what it imports) to JS and .d.ts under pkgDir/dist. */
function compile(entry: string, outDir: string, paths: Record<string, string[]> = {}): void {
  const config = ts.readConfigFile(path.join(ROOT, 'tsconfig.json'), ts.sys.readFile)
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, ROOT)
  const options: ts.CompilerOptions = { ...parsed.options, noEmit: false, declaration: true, outDir, rootDir: ROOT, paths, sourceMap: false, types: ['node'] }
  const program = ts.createProgram([path.join(ROOT, entry)], options)
  const result = program.emit()
  const diagnostics = [...ts.getPreEmitDiagnostics(program), ...result.diagnostics]
  if (diagnostics.length) throw new Error(ts.formatDiagnosticsWithColorAndContext(diagnostics, { getCanonicalFileName: (f) => f, getCurrentDirectory: () => ROOT, getNewLine: () => '\n' }))
}

/** Copies a dependency and, recursively, its own dependencies into pkgDir/node_modules. */
function bundle(pkgDir: string, name: string, seen = new Set<string>()): void {
  if (seen.has(name)) return
  seen.add(name)
  const from = path.join(ROOT, 'node_modules', name)
  cpSync(from, path.join(pkgDir, 'node_modules', name), { recursive: true, dereference: true })
  const manifest = JSON.parse(readFileSync(path.join(from, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> }
  for (const dep of Object.keys(manifest.dependencies ?? {})) bundle(pkgDir, dep, seen)
}

function customElementsManifest(pkgDir: string): Record<string, unknown> {
  const out = path.relative(ROOT, pkgDir)
  // The config turns off the analyzer's default of writing a `customElements` field into the
  // package.json of its working directory (the repository's, here).
  execFileSync(process.execPath, [path.join(ROOT, 'node_modules/@custom-elements-manifest/analyzer/cem.js'), 'analyze', '--globs', 'widget/element/tessera-card.ts', 'widget/index.ts', '--outdir', out, '--config', 'scripts/custom-elements-manifest.config.js'], { cwd: ROOT, stdio: 'pipe' })
  const manifest = JSON.parse(readFileSync(path.join(pkgDir, 'custom-elements.json'), 'utf8')) as { modules: { path: string }[] }
  for (const module of manifest.modules) module.path = `dist/${module.path.replace(/\.ts$/, '.js')}`
  writeFileSync(path.join(pkgDir, 'custom-elements.json'), JSON.stringify(manifest, null, 2))
  return { customElements: 'custom-elements.json' }
}

const entryOf = (dir: string) => `packages/${dir}/index`

function buildPackage(spec: PackageSpec, buildDir: string, outDir: string): string {
  const pkgDir = path.join(buildDir, spec.dir)
  compile(`${entryOf(spec.dir)}.ts`, path.join(pkgDir, 'dist'), spec.paths)
  // Declaration-only sources (the generated openapi.d.ts) are not emitted by tsc: copy them.
  for (const file of readdirSync(path.join(ROOT, 'packages', spec.dir))) {
    if (file.endsWith('.d.ts')) cpSync(path.join(ROOT, 'packages', spec.dir, file), path.join(pkgDir, 'dist', 'packages', spec.dir, file))
  }
  for (const dep of spec.bundled) bundle(pkgDir, dep)
  const main = `./dist/${entryOf(spec.dir)}.js`
  const manifest = {
    name: spec.name,
    version: PACKAGE_VERSION,
    description: spec.description,
    license: 'Apache-2.0',
    type: 'module',
    engines: { node: '>=20.11' },
    main,
    types: main.replace(/\.js$/, '.d.ts'),
    exports: { '.': { types: main.replace(/\.js$/, '.d.ts'), default: main }, './package.json': './package.json' },
    sideEffects: false,
    dependencies: { ...Object.fromEntries(spec.bundled.map((d) => [d, versionOf(d)])), ...spec.dependencies },
    bundleDependencies: spec.bundled,
    ...(spec.peerDependencies ? { peerDependencies: spec.peerDependencies, peerDependenciesMeta: spec.peerDependenciesMeta } : {}),
    ...(spec.extra?.(pkgDir) ?? {}),
  }
  writeFileSync(path.join(pkgDir, 'package.json'), JSON.stringify(manifest, null, 2))
  const readme = path.join(ROOT, 'packages', spec.dir, 'README.md')
  if (existsSync(readme)) cpSync(readme, path.join(pkgDir, 'README.md'))
  const [packed] = JSON.parse(execFileSync('npm', ['pack', '--json', '--offline', '--ignore-scripts', '--pack-destination', outDir], { cwd: pkgDir, env: { ...process.env, npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })) as { filename: string }[]
  return path.join(outDir, (packed as { filename: string }).filename)
}

export async function pack(outDir = path.join(ROOT, 'dist/packages')): Promise<Record<PackageSpec['dir'], string>> {
  const types = await openApiTypes()
  if (readFileSync(path.join(ROOT, NODE_TYPES_FILE), 'utf8') !== types) throw new Error(`${NODE_TYPES_FILE} is stale: run \`npm run openapi\``)
  rmSync(outDir, { recursive: true, force: true })
  const buildDir = path.join(outDir, 'build')
  mkdirSync(buildDir, { recursive: true })
  const card = buildPackage({ dir: 'card', name: '@tessera/card', description: "Tessera's <tessera-card>: loadTessera() and the element's types", bundled: ['lit', 'valibot'], extra: customElementsManifest }, buildDir, outDir)
  const cardTypes = path.join(buildDir, 'card', 'dist', `${entryOf('card')}.d.ts`)
  const react = buildPackage(
    { dir: 'react', name: '@tessera/react', description: '<TesseraCard> for React', bundled: ['@lit/react'], dependencies: { '@tessera/card': PACKAGE_VERSION }, peerDependencies: { react: '>=18', '@types/react': '>=18' }, peerDependenciesMeta: { '@types/react': { optional: true } }, paths: { '@tessera/card': [cardTypes] } },
    buildDir,
    outDir,
  )
  const node = buildPackage({ dir: 'node', name: '@tessera/node', description: "A typed client for Tessera's vault API, and verifyWebhook", bundled: ['openapi-fetch', 'jose'] }, buildDir, outDir)
  rmSync(buildDir, { recursive: true, force: true })
  return { card, react, node }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const tarballs = await pack(process.argv[2] ? path.resolve(process.argv[2]) : undefined)
  for (const file of Object.values(tarballs)) console.log(path.relative(process.cwd(), file))
}
