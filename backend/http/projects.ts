// The management API (admin key): projects, their settings and their API keys. Thin: check
// the input with a schema, call the project service (which the CLI calls too), shape the answer.
import { Hono, type Context, type MiddlewareHandler } from 'hono'
import * as v from 'valibot'
import { InvalidRequestError, NotFoundError } from '../errors.js'
import { ROLL_LIMITS } from '../projects/api-keys.js'
import { presentProject } from '../projects/present.js'
import { ON_DUPLICATES, PERMISSIONS, TOKEN_FORMATS, TOKEN_MANAGEMENTS, VERIFICATIONS } from '../projects/project.js'
import type { ProjectService } from '../projects/service.js'
import { NAME_LIMITS } from '../projects/settings.js'
import { parseLimit } from '../tokens/pages.js'
import type { AdminEnv } from './middleware/admin-auth.js'
import { parseInput } from './validation.js'

export interface ProjectRouteDeps {
  projects: ProjectService
  adminKey: MiddlewareHandler<AdminEnv>
}

const name = v.pipe(v.string(), v.minLength(1), v.maxLength(NAME_LIMITS.max))
const origins = v.pipe(v.array(v.pipe(v.string(), v.maxLength(2048))), v.minLength(1), v.maxLength(20))
const webhookUrl = v.nullable(v.pipe(v.string(), v.maxLength(2048)))

const settingsEntries = {
  display_name: v.optional(v.nullable(name)),
  webhook_url: v.optional(webhookUrl),
  verification: v.optional(v.picklist(VERIFICATIONS)),
  token_format: v.optional(v.picklist(TOKEN_FORMATS)),
  token_management: v.optional(v.picklist(TOKEN_MANAGEMENTS)),
  on_duplicate: v.optional(v.picklist(ON_DUPLICATES)),
}

export const createProjectBody = v.strictObject({ name, allowed_origins: origins, ...settingsEntries })

export const updateProjectBody = v.pipe(
  v.strictObject({ name: v.optional(name), allowed_origins: v.optional(origins), ...settingsEntries }),
  v.check((b) => Object.keys(b).length > 0, 'at least one setting to change'),
)

export const createKeyBody = v.strictObject({
  mode: v.picklist(['test', 'live']),
  permissions: v.pipe(v.array(v.picklist(PERMISSIONS)), v.minLength(1)),
  name: v.optional(name),
})

export const rollKeyBody = v.strictObject({
  expires_in_hours: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(ROLL_LIMITS.maxHours))),
})

export const projectListQuery = v.strictObject({ limit: v.optional(v.string()), cursor: v.optional(v.string()) })

type Settings = v.InferOutput<typeof updateProjectBody>

/** The body's snake_case settings as the service's input; absent fields stay absent. */
function toSettings(b: Settings) {
  return {
    ...(b.name !== undefined && { name: b.name }),
    ...(b.display_name !== undefined && { displayName: b.display_name }),
    ...(b.allowed_origins !== undefined && { allowedOrigins: b.allowed_origins }),
    ...(b.webhook_url !== undefined && { webhookUrl: b.webhook_url }),
    ...(b.verification !== undefined && { verification: b.verification }),
    ...(b.token_format !== undefined && { tokenFormat: b.token_format }),
    ...(b.token_management !== undefined && { tokenManagement: b.token_management }),
    ...(b.on_duplicate !== undefined && { onDuplicate: b.on_duplicate }),
  }
}

const projectParam = (c: Context<AdminEnv>): string => {
  const id = c.req.param('id') ?? ''
  if (!/^proj_[0-9A-Za-z]{16}$/.test(id)) throw new NotFoundError('project_not_found', 'No such project.', 'id')
  return id
}

const keyParam = (c: Context<AdminEnv>): string => {
  const id = c.req.param('key_id') ?? ''
  if (!/^key_[0-9A-Za-z]{16}$/.test(id)) throw new NotFoundError('api_key_not_found', 'No such API key in this project.', 'key_id')
  return id
}

/** Answers that hold secrets are never stored, so the idempotency store cannot serve them. */
const noIdempotency: MiddlewareHandler<AdminEnv> = async (c, next) => {
  if (c.req.method === 'POST' && c.req.header('idempotency-key') !== undefined) {
    throw new InvalidRequestError('idempotency_key_not_supported', 'The management API does not take Idempotency-Key: its answers hold secrets the vault never stores. List before retrying.')
  }
  await next()
}

export function projectRoutes(deps: ProjectRouteDeps): Hono<AdminEnv> {
  const app = new Hono<AdminEnv>()
  const { projects } = deps
  app.use('*', deps.adminKey, noIdempotency)

  app.post('/', async (c) => {
    const body = parseInput(createProjectBody, c.get('body'))
    const made = await projects.create({ ...toSettings(body), name: body.name, allowedOrigins: body.allowed_origins })
    return c.json({ ...presentProject(made.project), keys: made.apiKeys }, 201)
  })

  app.get('/', async (c) => {
    const query = parseInput(projectListQuery, c.req.query())
    const page = await projects.page({ limit: parseLimit(query.limit), cursor: query.cursor, cursorKey: c.get('admin').keyHash })
    return c.json({ ...page, data: page.data.map(presentProject) })
  })

  app.get('/:id', async (c) => c.json(presentProject(await projects.get(projectParam(c)))))

  app.patch('/:id', async (c) => {
    const id = projectParam(c)
    const body = parseInput(updateProjectBody, c.get('body'))
    return c.json(presentProject(await projects.update(id, toSettings(body))))
  })

  app.get('/:id/keys', async (c) => {
    const project = await projects.get(projectParam(c))
    return c.json({ object: 'list', data: await projects.apiKeys.list(project.id), has_more: false, next_cursor: null })
  })

  app.post('/:id/keys', async (c) => {
    const project = await projects.get(projectParam(c))
    const body = parseInput(createKeyBody, c.get('body'))
    return c.json(await projects.apiKeys.createRestricted(project.id, body), 201)
  })

  app.post('/:id/keys/:key_id/roll', async (c) => {
    const project = await projects.get(projectParam(c))
    const keyId = keyParam(c)
    const body = parseInput(rollKeyBody, c.get('body'))
    return c.json(await projects.apiKeys.roll(project.id, keyId, body.expires_in_hours), 201)
  })

  app.delete('/:id/keys/:key_id', async (c) => {
    const project = await projects.get(projectParam(c))
    return c.json(await projects.apiKeys.delete(project.id, keyParam(c)))
  })

  return app
}
