/**
 * PATCH messages (RFC 7644 §3.5.2): validation and building of the PatchOp body, and a local apply
 * (via scim-patch) for the PUT fallback when a server does not support PATCH.
 */
import { scimPatch, type ScimPatchOperation } from 'scim-patch';
import { AppError } from '../../shared/errors/errors';
import { parsePatchPath } from '../../shared/scim/attribute-path';
import type { PatchOperation, ScimResource } from '../../shared/scim/types';
import { URN } from '../../shared/scim/urns';
import { findFilterProblem } from './filter-parse';

/** The PatchOp request message (RFC 7644 §3.5.2). */
export type PatchRequest = {
  schemas: [typeof URN.patchOp];
  Operations: PatchOperation[];
};

function invalid(index: number, reason: string): AppError {
  return new AppError('invalid_request', `PATCH operation ${index + 1} is not valid: ${reason}.`, {
    nextStep: 'Correct the operation; see RFC 7644 §3.5.2 for the PATCH syntax.',
  });
}

/**
 * Validates and normalises operations: `op` lower-cased (the RFC's values; some clients send
 * "Replace"), `path` checked against the §3.5.2 grammar including value filters, `remove` requires a
 * path (§3.5.2.2: otherwise the server answers `noTarget`), `add` requires a value.
 *
 * @throws AppError `invalid_request` naming the operation and the problem.
 */
function normalisePatchOperations(ops: readonly PatchOperation[]): PatchOperation[] {
  if (ops.length === 0)
    throw new AppError('invalid_request', 'A PATCH request needs at least one operation.');
  return ops.map((o, i) => {
    // Typed as the RFC values, but callers (and Entra-style input) may send "Replace".
    const given: string = o.op;
    const op = given.toLowerCase();
    if (op !== 'add' && op !== 'remove' && op !== 'replace') {
      throw invalid(i, `"${given}" is not add, remove or replace`);
    }
    if (o.path !== undefined) {
      const parsed = parsePatchPath(o.path);
      if (!parsed.ok) throw invalid(i, parsed.reason);
      if (parsed.path.valueFilter !== undefined) {
        const problem = findFilterProblem(parsed.path.valueFilter);
        if (problem)
          throw invalid(i, `the value filter in "${o.path}" is not valid: ${problem.reason}`);
      }
    }
    if (op === 'remove' && (o.path === undefined || o.path === '')) {
      throw invalid(i, '"remove" needs a path');
    }
    if (op !== 'remove' && o.value === undefined) throw invalid(i, `"${op}" needs a value`);
    if (
      op !== 'remove' &&
      o.path === undefined &&
      (typeof o.value !== 'object' || o.value === null || Array.isArray(o.value))
    ) {
      throw invalid(i, `"${op}" without a path needs an object value`);
    }
    return {
      op,
      ...(o.path !== undefined ? { path: o.path } : {}),
      ...(o.value !== undefined ? { value: o.value } : {}),
    };
  });
}

/** Builds the PatchOp body for a list of operations (validated and normalised). */
export function buildPatchRequest(ops: readonly PatchOperation[]): PatchRequest {
  return { schemas: [URN.patchOp], Operations: normalisePatchOperations(ops) };
}

/**
 * Applies operations to a resource locally, for the PUT fallback (GET → apply → PUT with If-Match)
 * when `patch.supported` is false. Does not mutate its input.
 *
 * @throws AppError `invalid_request` when an operation cannot be applied (e.g. no target).
 */
export function applyPatchLocally(
  resource: ScimResource,
  ops: readonly PatchOperation[],
): ScimResource {
  const normalised = normalisePatchOperations(ops) as ScimPatchOperation[];
  // scim-patch wants `meta` present; it is server-owned and stripped before the PUT anyway.
  const doc = structuredClone({ ...resource, meta: resource.meta ?? {} }) as unknown as Parameters<
    typeof scimPatch
  >[0];
  try {
    return scimPatch(doc, normalised, {
      mutateDocument: true,
      treatMissingAsAdd: true,
    }) as unknown as ScimResource;
  } catch (e) {
    throw new AppError(
      'invalid_request',
      `The PATCH operations cannot be applied to the resource: ${e instanceof Error ? e.message : String(e)}.`,
      {},
      { cause: e },
    );
  }
}
