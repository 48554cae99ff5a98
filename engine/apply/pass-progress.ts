/**
 * Live counts per pass for the run screen (issue 19): rows, groups, members, managers, each with
 * done / failed / unknown / total. Rows come from the row pass's tally; the passes after it are
 * read from the op book (so ops of an earlier process of a resumed run count too), from a list of
 * (op id, pass, weight) made once from the pass plan — a member chunk weighs as many members as it
 * carries.
 */
import type { WriteOp } from '../scim/ops';
import { chunkMembers } from './membership-pass';
import type { OpBook } from './op-book';
import type { PassPlan } from './pass-plan';
import type { ApplyFailure } from './row-pass';

export type PassName = 'rows' | 'groups' | 'members' | 'managers';
export type PassCount = { done: number; failed: number; unknown: number; total: number };
export type ByPass = Partial<Record<PassName, PassCount>>;

type Entry = {
  op: string;
  pass: Exclude<PassName, 'rows'>;
  weight: number;
  /** How a failure of the op is listed on the run screen. */
  label: Omit<ApplyFailure, 'message' | 'status' | 'scimType'>;
};

export type PassTracker = {
  /** The manager links as planned after the rows (replaces the estimate from the plan). */
  setManagerOps(ops: readonly WriteOp[]): void;
  /** Counts now, with the rows' own tally. */
  snapshot(book: OpBook, rows: PassCount | undefined): ByPass;
  /** The failed pass ops (at most `limit`, in pass order), with the server's answer. */
  failures(book: OpBook, limit: number): ApplyFailure[];
};

const zero = (): PassCount => ({ done: 0, failed: 0, unknown: 0, total: 0 });

/** "Ann Lee", "Ann Lee and Bo Li", "Ann Lee and 99 others". */
function namesOf(pp: PassPlan, members: readonly string[]): string {
  const first =
    members[0] !== undefined ? (pp.memberRow.get(members[0])?.display ?? members[0]) : '';
  if (members.length <= 1) return first;
  if (members.length === 2) {
    const second = members[1] ?? '';
    return `${first} and ${pp.memberRow.get(second)?.display ?? second}`;
  }
  return `${first} and ${members.length - 1} others`;
}

function groupEntry(pp: PassPlan, op: WriteOp): Entry {
  if (op.method === 'POST') {
    const name = pp.groupName.get(op.opId) ?? op.opId;
    return {
      op: op.opId,
      pass: 'groups',
      weight: 1,
      label: { display: name, action: 'group create' },
    };
  }
  const { kind, members } = chunkMembers(op);
  const group = pp.groupName.get(op.id ?? '') ?? op.id ?? '';
  const first = members.length === 1 && members[0] ? pp.memberRow.get(members[0]) : undefined;
  return {
    op: op.opId,
    pass: 'members',
    weight: members.length,
    label: {
      ...(first?.row !== undefined ? { row: first.row } : {}),
      display: namesOf(pp, members),
      action: `group ${kind} "${group}"`,
    },
  };
}

export function createPassTracker(pp: PassPlan): PassTracker {
  const groupEntries: Entry[] = pp.groupOps.map((op) => groupEntry(pp, op));
  const rowOf = new Map(pp.withManagers.map((r) => [`s${r.seq}:manager`, r]));
  const managerEntry = (op: string): Entry => {
    const r = rowOf.get(op);
    return {
      op,
      pass: 'managers',
      weight: 1,
      label: {
        ...(r?.row !== undefined ? { row: r.row } : {}),
        display: r?.display ?? op,
        action: 'manager',
      },
    };
  };
  let managerEntries: Entry[] = [...rowOf.keys()].map(managerEntry);
  return {
    setManagerOps(ops) {
      managerEntries = ops.map((op) => managerEntry(op.opId));
    },
    failures(book, limit) {
      const out: ApplyFailure[] = [];
      for (const e of [...groupEntries, ...managerEntries]) {
        if (out.length >= limit) break;
        if (book.status(e.op) !== 'failed') continue;
        const o = book.state(e.op)?.outcome;
        out.push({
          ...e.label,
          message: o?.error?.message ?? 'failed',
          ...(o?.httpStatus ? { status: o.httpStatus } : {}),
          ...(o?.error?.scimType ? { scimType: o.error.scimType } : {}),
        });
      }
      return out;
    },
    snapshot(book, rows) {
      // Every pass is named (zero when the plan has none), so the screen's table keeps its rows.
      const out: ByPass = {
        ...(rows ? { rows } : {}),
        groups: zero(),
        members: zero(),
        managers: zero(),
      };
      for (const e of [...groupEntries, ...managerEntries]) {
        const c = (out[e.pass] ??= zero());
        c.total += e.weight;
        const st = book.status(e.op);
        if (st === 'ok') c.done += e.weight;
        else if (st === 'failed') c.failed += e.weight;
        else if (st === 'unknown') c.unknown += e.weight;
      }
      return out;
    },
  };
}
