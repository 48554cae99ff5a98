import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy } from '../../../../electron/main/policy/csp';

function directives(policy: string): Map<string, string> {
  return new Map(
    policy
      .split(';')
      .map((d) => d.trim())
      .filter(Boolean)
      .map((d) => {
        const [name = '', ...values] = d.split(/\s+/);
        return [name, values.join(' ')] as const;
      }),
  );
}

describe('contentSecurityPolicy', () => {
  it('allows only our own scripts, with no inline code, eval or remote origins', () => {
    const csp = directives(contentSecurityPolicy());
    expect(csp.get('default-src')).toBe("'none'");
    expect(csp.get('script-src')).toBe("'self'");
    expect(csp.get('style-src')).toBe("'self'");
    expect(csp.get('connect-src')).toBe("'self'");
    expect(csp.get('object-src')).toBe("'none'");
    expect(csp.get('frame-ancestors')).toBe("'none'");
    expect(contentSecurityPolicy()).not.toMatch(/unsafe-|https?:|\*/);
  });

  it('adds only the dev server websocket in development', () => {
    const csp = directives(contentSecurityPolicy({ devServerUrl: 'http://localhost:5173/' }));
    expect(csp.get('connect-src')).toBe("'self' ws://localhost:5173");
    expect(csp.get('script-src')).toBe("'self'");
  });

  it('matches the meta tag in renderer/index.html (minus header-only directives)', async () => {
    const html = await readFile(
      resolve(import.meta.dirname, '../../../../renderer/index.html'),
      'utf8',
    );
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1];
    expect(meta).toBeDefined();
    const header = directives(contentSecurityPolicy());
    header.delete('frame-ancestors');
    expect(directives(meta ?? '')).toEqual(header);
  });
});
