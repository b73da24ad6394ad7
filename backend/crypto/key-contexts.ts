// The key source contexts: what each wrapped value is bound to, so a wrapped key copied to
// another row does not unwrap. One list, below both the services and the store (rewrap reads
// them; the services that own each key use them).
export const projectKeyContext = (projectId: string, purpose: string) => `project-key|${projectId}|${purpose}`
export const dataKeyContext = (projectId: string, mode: string) => `data-key|${projectId}|${mode}`
export const jweKeyContext = (kid: string) => `jwe-key|${kid}`
export const webhookKeyContext = (kid: string) => `webhook-key|${kid}`
