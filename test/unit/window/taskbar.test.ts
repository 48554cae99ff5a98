import { describe, expect, it } from 'vitest';
import { taskbarProgressValue } from '../../../electron/main/policy/taskbar';

describe('taskbar progress', () => {
  it('maps the port’s fraction to Electron’s setProgressBar values', () => {
    expect(taskbarProgressValue(null)).toBe(-1); // removed
    expect(taskbarProgressValue(-1)).toBe(2); // indeterminate
    expect(taskbarProgressValue(0.25)).toBe(0.25);
    expect(taskbarProgressValue(3)).toBe(1);
  });
});
