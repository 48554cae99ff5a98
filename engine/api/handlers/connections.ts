import type { Handler } from '../types';

/** `connections:list`: saved profiles without secrets, each with `hasSecret`. */
export const listConnections: Handler<'connections:list'> = (_request, { engine }) =>
  engine.connections.list();

/** `connections:save`: creates (no id) or updates a profile; the secret goes to the SecretStore. */
export const saveConnection: Handler<'connections:save'> = (request, { engine }) =>
  engine.connections.save({
    ...(request.id !== undefined ? { id: request.id } : {}),
    settings: request.settings,
    ...(request.secret !== undefined ? { secret: request.secret } : {}),
  });

/** `connections:remove`: deletes the profile and its stored secret. */
export const removeConnection: Handler<'connections:remove'> = async ({ id }, { engine }) => {
  await engine.connections.remove(id);
  return { id };
};

/** `connections:test`: discovery and probes against a saved profile, a draft, or unsaved edits. */
export const testConnection: Handler<'connections:test'> = async (request, { engine }) => {
  const { id, settings } = request;
  if (settings === undefined) {
    // The contract's refinement guarantees an id when there are no settings.
    return engine.connections.test({ id: id ?? '' });
  }
  let secret = request.secret;
  if (id !== undefined) {
    const saved = await engine.connections.find(id);
    // The sandbox's address and token are assigned at start and cannot be edited.
    if (saved.kind === 'sandbox') return engine.connections.test({ id: saved.id });
    // Editing without retyping the secret: test with the one already stored (it never leaves
    // main), unless the edits would send it somewhere else: then it must be typed again.
    secret ??= await engine.connections.storedSecretFor(saved.id, settings);
  }
  return engine.connections.test({ settings, ...(secret !== undefined ? { secret } : {}) });
};
