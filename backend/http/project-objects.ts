// The management API's answers as valibot schemas, for the OpenAPI document (the request
// schemas are the ones backend/http/projects.ts validates with).
import * as v from 'valibot'
import { KEY_KINDS, ON_DUPLICATES, PERMISSIONS, TOKEN_FORMATS, TOKEN_MANAGEMENTS, VERIFICATIONS } from '../projects/project.js'

const timestamp = v.pipe(v.string(), v.isoTimestamp())

export const ProjectObject = v.object({
  object: v.literal('project'),
  id: v.string(),
  name: v.string(),
  display_name: v.nullable(v.string()),
  allowed_origins: v.array(v.string()),
  webhook_url: v.nullable(v.string()),
  verification: v.picklist(VERIFICATIONS),
  token_format: v.picklist(TOKEN_FORMATS),
  token_management: v.picklist(TOKEN_MANAGEMENTS),
  on_duplicate: v.picklist(ON_DUPLICATES),
  created_at: timestamp,
})

export const ApiKeyObject = v.object({
  object: v.literal('api_key'),
  id: v.string(),
  kind: v.picklist(KEY_KINDS),
  mode: v.picklist(['test', 'live']),
  name: v.nullable(v.string()),
  prefix: v.string(),
  last4: v.nullable(v.string()),
  permissions: v.nullable(v.array(v.picklist(PERMISSIONS))),
  created_at: timestamp,
  expires_at: v.nullable(timestamp),
  last_used_at: v.nullable(timestamp),
})

/** A key as the answer that made it: the only answer with its `secret`. */
export const NewApiKeyObject = v.object({ ...ApiKeyObject.entries, secret: v.string() })

export const CreatedProjectObject = v.object({ ...ProjectObject.entries, keys: v.array(NewApiKeyObject) })

export const DeletedApiKey = v.object({ object: v.literal('api_key'), id: v.string(), deleted: v.literal(true) })
