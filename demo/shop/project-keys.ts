// The shop's view of the demo projects file: read again whenever it changes on disk, so the
// shop can start before `npm start` has created or reused the projects.
import fs from 'node:fs'
import { readDemoProjectsFile, type DemoProjectRecord } from './demo-projects.js'

export interface ProjectDirectory {
  /** Every demo project with its keys; empty until the file exists. */
  all(): readonly DemoProjectRecord[]
  byName(name: string | undefined): DemoProjectRecord | undefined
  byId(projectId: string | undefined): DemoProjectRecord | undefined
}

export function fileProjectDirectory(file: string): ProjectDirectory {
  let loaded: { mtimeMs: number; size: number; projects: readonly DemoProjectRecord[] } | null = null
  const all = (): readonly DemoProjectRecord[] => {
    let stat: fs.Stats
    try {
      stat = fs.statSync(file)
    } catch {
      return []
    }
    if (!loaded || loaded.mtimeMs !== stat.mtimeMs || loaded.size !== stat.size) {
      loaded = { mtimeMs: stat.mtimeMs, size: stat.size, projects: Object.freeze(readDemoProjectsFile(file)?.projects ?? []) }
    }
    return loaded.projects
  }
  return fixedLookups(all)
}

/** A directory over projects held in memory (tests, or a shop embedded in another process). */
export function staticProjectDirectory(projects: readonly DemoProjectRecord[]): ProjectDirectory {
  return fixedLookups(() => projects)
}

function fixedLookups(all: () => readonly DemoProjectRecord[]): ProjectDirectory {
  return {
    all,
    byName: (name) => all().find((p) => p.name === name),
    byId: (projectId) => all().find((p) => p.project_id === projectId),
  }
}
