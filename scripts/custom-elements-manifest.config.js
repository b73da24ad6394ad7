// @custom-elements-manifest/analyzer's options for `npm run pack` (scripts/pack.ts): the manifest
// belongs to the @tessera/card package it is written into, so the analyzer must not add a
// `customElements` path to the repository's own package.json (its default).
export default { packagejson: false }
