import { test as base, expect, type Page } from '@playwright/test';
import { buildBrowserShim } from '../harness/build-shim';
import { startNodeHost, type NodeHost } from '../harness/node-host';

type Fixtures = {
  /** Engine + router + built renderer on one 127.0.0.1 origin, with a fresh temp data folder. */
  host: NodeHost;
  /** The app page, opened with the browser shim installed; fails the test on page errors. */
  app: Page;
};

export const test = base.extend<Fixtures, { shim: string }>({
  shim: [
    // eslint-disable-next-line no-empty-pattern -- Playwright requires the destructuring form
    async ({}, use) => {
      await use(await buildBrowserShim());
    },
    { scope: 'worker' },
  ],
  // eslint-disable-next-line no-empty-pattern -- Playwright requires the destructuring form
  host: async ({}, use) => {
    const host = await startNodeHost();
    await use(host);
    await host.close();
  },
  app: async ({ page, host, shim }, use) => {
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console: ${m.text()}`);
    });
    await page.route('**/favicon.ico', (r) => r.fulfill({ status: 204, body: '' }));
    await page.addInitScript({ content: shim });
    await page.goto(host.url);
    await use(page);
    expect(problems, 'errors in the page').toEqual([]);
  },
});

export { expect };
