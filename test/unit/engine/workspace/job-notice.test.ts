import { describe, expect, it } from 'vitest';
import { finishedNotice } from '../../../../engine/workspace/job-registry';

describe('finishedNotice', () => {
  it('names the kind when a job is done, and just the label', () => {
    expect(finishedNotice('plan', 'Plan hr.csv', { status: 'done' })).toEqual({
      title: 'Plan ready',
      body: 'Plan hr.csv',
    });
    expect(finishedNotice('export', 'Export Users', { status: 'done' }).title).toBe(
      'Export finished',
    );
  });

  it('says cancelled under the kind title', () => {
    expect(finishedNotice('apply', 'Apply run', { status: 'cancelled' })).toEqual({
      title: 'Run finished',
      body: 'Apply run: cancelled',
    });
  });

  it('says failed with the error message, or just failed', () => {
    const error = { code: 'network', message: 'The server did not answer.' } as const;
    expect(finishedNotice('undo', 'Undo', { status: 'failed', error })).toEqual({
      title: 'SCIM Porter: failed',
      body: 'Undo: The server did not answer.',
    });
    expect(finishedNotice('undo', 'Undo', { status: 'failed' }).body).toBe('Undo: failed');
  });
});
