/**
 * The web console end to end: headless Chromium (Debian's `chromium`, driven by playwright-core with
 * `executablePath`) against a real `elanus serve` process, data written through the official SDK.
 * Browses a collection, loads and releases it with progress, runs a filter with an error and then a good
 * one, searches and checks the ids against the SDK's own search, and under --auth signs in and is
 * refused an action the user holds no privilege for. Screenshots of each page go to
 * test-artifacts/console/ (gitignored). Without a Chromium the test fails under CI (`.ci/run` installs
 * it) and is skipped, saying why, elsewhere.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MilvusClient } from '@zilliz/milvus2-sdk-node';
import { chromium, type Browser, type Page } from 'playwright-core';
import { DataType } from '../../src/core/data-type.js';
import { unexpected } from '../../src/core/errors.js';
import { randomVectors } from '../support/data.js';
import { startServe, type ServedProcess } from '../server/spawn-server.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const ARTIFACTS = join(ROOT, 'test-artifacts/console');
const CHROMIUM = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p): p is string => !!p && existsSync(p));
const BUILT = existsSync(join(ROOT, 'dist/console/index.html'));
const why = !CHROMIUM ? 'no Chromium (apt-get install chromium, or set CHROMIUM_PATH)' : !BUILT ? 'the console is not built (npm run build)' : undefined;
if (why && process.env.CI) throw unexpected(`console browser test cannot run in CI: ${why}`);

const GENRES = ['sf', 'crime', 'poetry', 'history'];
const DIM = 8;
const N = 240;
const vectors = randomVectors(N, DIM, 15);

type St = { code?: number; error_code?: string | number; reason?: string };
const code = (r: unknown): number | undefined => ((r as { status?: St }).status ?? (r as St)).code;

async function seed(sdk: MilvusClient, { load }: { load: boolean }): Promise<void> {
  const fields = [
    { name: 'id', data_type: DataType.Int64, is_primary_key: true, description: 'book number' },
    { name: 'vector', data_type: DataType.FloatVector, dim: DIM },
    { name: 'title', data_type: DataType.VarChar, max_length: 128 },
    { name: 'genre', data_type: DataType.VarChar, max_length: 32 },
    { name: 'year', data_type: DataType.Int64 },
    { name: 'meta', data_type: DataType.JSON },
    { name: 'tags', data_type: DataType.Array, element_type: DataType.VarChar, max_capacity: 4, max_length: 16 },
  ];
  assert.equal(code(await sdk.createCollection({ collection_name: 'books', description: 'a small library', fields } as never)), 0);
  const rows = vectors.map((v, i) => ({ id: i, vector: v, title: `Book ${i}`, genre: GENRES[i % GENRES.length]!, year: 1950 + (i % 70), meta: { pages: 100 + i, lang: i % 3 ? 'en' : 'fr' }, tags: [`t${i % 5}`] }));
  assert.equal(code(await sdk.insert({ collection_name: 'books', data: rows } as never)), 0);
  assert.equal(code(await sdk.createIndex({ collection_name: 'books', field_name: 'vector', index_type: 'HNSW', metric_type: 'L2', params: { M: 8, efConstruction: 64 } } as never)), 0);
  if (load) assert.equal(code(await sdk.loadCollection({ collection_name: 'books' } as never)), 0);
}

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

async function open(browser: Browser, served: ServedProcess): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, colorScheme: 'light' });
  page.on('pageerror', (err) => assert.fail(`page error: ${err.message}`));
  await page.goto(`http://${served.restAddress}/console/`);
  return page;
}

test('web console: browse, load/release with progress, filter error then rows, search ids match the SDK, auth refusals', { skip: why ?? false, timeout: 120_000 }, async (t) => {
  mkdirSync(ARTIFACTS, { recursive: true });
  const browser = await chromium.launch({ executablePath: CHROMIUM!, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
  t.after(() => browser.close());

  await t.test('without auth: every page', async () => {
    const served = await startServe([]);
    const sdk = new MilvusClient({ address: served.address, logLevel: 'error' } as ConstructorParameters<typeof MilvusClient>[0]);
    try {
      assert.match(served.output(), /web console on http:\/\/\S+\/console\//);
      await seed(sdk, { load: false });
      const page = await open(browser, served);

      // Collections: the row count and load state as the SDK sees them.
      const row = page.getByRole('row', { name: /books/ });
      await row.getByRole('cell', { name: String(N), exact: true }).waitFor();
      await assert.doesNotReject(row.getByText('NotLoad').waitFor());
      await shot(page, '01-collections');

      // Collection: schema, index, then Load (the bar ends at 100 %) and Release (with confirmation).
      await page.getByRole('link', { name: 'books' }).click();
      await page.getByRole('heading', { name: 'books', level: 1 }).waitFor();
      const fields = page.getByRole('table', { name: 'Fields' });
      for (const [f, type] of [['vector', 'FloatVector'], ['tags', 'Array<VarChar>'], ['meta', 'JSON']]) await fields.getByRole('row', { name: new RegExp(`^${f} ${type}`) }).waitFor();
      await fields.getByRole('row', { name: /^id Int64 .*primary key/ }).waitFor();
      await page.getByRole('table', { name: 'Indexes' }).getByRole('row', { name: /vector vector HNSW · L2 Finished/ }).waitFor();
      assert.equal(await page.getByTestId('load-state').textContent(), 'NotLoad');
      await page.getByRole('button', { name: 'Load', exact: true }).click();
      await page.getByTestId('load-state').getByText('Loaded', { exact: true }).waitFor();
      assert.equal(await page.getByRole('progressbar', { name: 'Load progress' }).getAttribute('aria-valuenow'), '100');
      assert.equal(((await sdk.getLoadState({ collection_name: 'books' } as never)) as { state: string }).state, 'LoadStateLoaded');
      await shot(page, '02-collection-loaded');

      // Data: a filter with an error (shown at its column), then a good one.
      await page.getByRole('link', { name: 'Data' }).click();
      const filter = page.getByLabel('Filter expression');
      await filter.fill('year > 2000 an id < 5');
      await filter.press('Enter'); // keyboard: Enter runs the query
      const err = page.getByTestId('filter-error');
      await err.waitFor();
      assert.match((await err.textContent()) ?? '', /column 13: syntax error at "an"/);
      assert.match((await err.locator('pre').textContent()) ?? '', /\n {12}\^$/, 'the caret stands under column 13');
      await shot(page, '03-data-filter-error');
      await filter.fill('year >= 2015 and genre == "sf"');
      await page.getByRole('button', { name: 'Run query' }).click();
      await err.waitFor({ state: 'detached' });
      const expected = (await sdk.query({ collection_name: 'books', filter: 'year >= 2015 and genre == "sf"', output_fields: ['id'], limit: 100 } as never)) as unknown as { data: { id: string | number }[] };
      assert.ok(expected.data.length > 0);
      const table = page.getByRole('table', { name: 'Rows' });
      await table.locator('tbody tr').nth(expected.data.length - 1).waitFor();
      assert.equal(await table.locator('tbody tr').count(), expected.data.length);
      await shot(page, '04-data-rows');

      // Search: the query vector of row 7; the hits are the SDK's hits.
      await page.getByRole('link', { name: 'Search' }).click();
      await page.getByLabel(/Row id/).fill('7');
      await page.getByLabel('Limit').fill('5');
      await page.getByLabel('Params (JSON)').fill('{"ef": 64}');
      await page.getByRole('button', { name: 'Search', exact: true }).click();
      const hits = page.getByTestId('hits');
      await hits.locator('tbody tr').nth(4).waitFor();
      const ids = (await hits.locator('td.hit-id').allTextContents()).map(String);
      const sdkHits = (await sdk.search({ collection_name: 'books', data: [vectors[7]!], limit: 5, params: { ef: 64 } } as never)) as { results: { id: string | number }[] };
      assert.deepEqual(ids, sdkHits.results.map((h) => String(h.id)));
      assert.equal(ids[0], '7');
      assert.match((await page.getByTestId('sdk-code').textContent()) ?? '', new RegExp(`address: "127\\.0\\.0\\.1:${served.port}"[\\s\\S]*client\\.search\\(\\{[\\s\\S]*collection_name: "books"`));
      await page.getByRole('tab', { name: 'Python' }).click();
      assert.match((await page.getByTestId('sdk-code').textContent()) ?? '', /search_params=\{"metric_type": "L2", "params": \{"ef": 64\}\}/);
      await shot(page, '05-search');

      // Vector map: a PCA of the sample, coloured by genre.
      await page.getByRole('link', { name: 'Vector map' }).click();
      await page.getByLabel('Colour by').selectOption('genre');
      await page.getByRole('button', { name: 'Project' }).click();
      await page.getByRole('img', { name: /PCA of 240 vectors of vector, coloured by genre/ }).waitFor();
      await shot(page, '06-vector-map');

      // Release, with the confirmation dialog (Esc cancels; the button confirms).
      await page.getByRole('link', { name: 'Overview' }).click();
      await page.getByRole('button', { name: 'Release' }).click();
      await page.getByRole('dialog').waitFor();
      await shot(page, '07-release-confirm');
      await page.keyboard.press('Escape');
      await page.getByRole('dialog').waitFor({ state: 'detached' });
      assert.equal(await page.getByTestId('load-state').textContent(), 'Loaded');
      await page.getByRole('button', { name: 'Release' }).click();
      await page.getByRole('dialog').getByRole('button', { name: 'Release' }).click();
      await page.getByTestId('load-state').getByText('NotLoad').waitFor();
      assert.equal(((await sdk.getLoadState({ collection_name: 'books' } as never)) as { state: string }).state, 'LoadStateNotLoad');

      // Server figures from /metrics: charts once two scrapes have been taken.
      await page.getByRole('link', { name: 'Server' }).click();
      await page.getByTestId('rss').waitFor();
      await page.locator('.uplot').first().waitFor();
      // Some gRPC traffic for the request charts, across two scrapes.
      for (let i = 0; i < 14; i++) {
        await Promise.all(Array.from({ length: 5 }, () => sdk.hasCollection({ collection_name: 'books' } as never)));
        await new Promise((r) => setTimeout(r, 300));
      }
      assert.equal(await page.locator('.uplot').count(), 5);
      await shot(page, '08-server-metrics');

      await page.getByRole('link', { name: 'Access' }).click();
      await page.getByRole('table', { name: 'Users' }).getByRole('cell', { name: 'root', exact: true }).waitFor();
      await shot(page, '09-access');

      // Dark theme and a phone-sized screen.
      await page.getByRole('button', { name: /Switch to dark theme/ }).click();
      await page.goto(`http://${served.restAddress}/console/#/c/default/books`);
      await page.getByRole('heading', { name: 'books', level: 1 }).waitFor();
      await page.getByTestId('row-count').getByText(String(N)).waitFor();
      await shot(page, '10-collection-dark');
      await page.setViewportSize({ width: 390, height: 844 });
      await shot(page, '11-collection-phone-dark');
      await page.close();

      // --no-console: the REST API alone.
      const bare = await startServe(['--no-console']);
      try {
        const res = await fetch(`http://${bare.restAddress}/console/`);
        assert.equal(res.status, 404);
        assert.doesNotMatch(bare.output(), /web console/);
      } finally {
        await bare.stop();
      }
    } finally {
      await sdk.closeConnection();
      await served.stop();
    }
  });

  await t.test('with --auth: login, then refused an action without the privilege', async () => {
    const served = await startServe(['--auth']);
    const root = new MilvusClient({ address: served.address, username: 'root', password: 'Milvus', logLevel: 'error' } as ConstructorParameters<typeof MilvusClient>[0]);
    try {
      await seed(root, { load: true });
      assert.equal(code(await root.createUser({ username: 'viewer', password: 'viewer-pw-1' })), 0);
      assert.equal(code(await root.createRole({ roleName: 'reader' })), 0);
      for (const privilegeName of ['Query', 'Search', 'GetStatistics', 'GetLoadState', 'GetLoadingProgress', 'ShowPartitions'])
        assert.equal(code(await root.grantPrivilege({ roleName: 'reader', object: 'Collection' as never, objectName: 'books', privilegeName })), 0);
      assert.equal(code(await root.grantPrivilege({ roleName: 'reader', object: 'Global' as never, objectName: '*', privilegeName: 'ShowCollections' })), 0);
      assert.equal(code(await root.addUserToRole({ username: 'viewer', roleName: 'reader' })), 0);

      const page = await open(browser, served);
      await page.getByRole('heading', { name: 'Sign in to Elanus' }).waitFor();
      await page.getByLabel('User name').fill('viewer');
      await page.getByLabel('Password').fill('wrong');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('alert').getByText('Wrong user name or password.').waitFor();
      await shot(page, '12-login-refused');
      await page.getByLabel('Password').fill('viewer-pw-1');
      await page.getByLabel('Password').press('Enter');
      await page.getByRole('button', { name: 'Log out' }).waitFor();
      await page.getByRole('row', { name: /books/ }).getByText('Loaded').waitFor();

      await page.getByRole('link', { name: 'books' }).click();
      await page.getByTestId('load-state').getByText('Loaded', { exact: true }).waitFor();
      await page.getByRole('button', { name: 'Release' }).click();
      await page.getByRole('dialog').getByRole('button', { name: 'Release' }).click();
      const alert = page.getByRole('alert');
      await alert.waitFor();
      assert.match((await alert.textContent()) ?? '', /PrivilegeNotPermitted: user viewer needs privilege Release on Collection books.*\(code 1401\)/);
      assert.equal(((await root.getLoadState({ collection_name: 'books' } as never)) as { state: string }).state, 'LoadStateLoaded', 'the refused release changed nothing');
      await shot(page, '13-release-refused');

      // What the role allows still works: a query through the data browser.
      await page.getByRole('link', { name: 'Data' }).click();
      await page.getByRole('table', { name: 'Rows' }).locator('tbody tr').nth(19).waitFor();
      await page.close();
    } finally {
      await root.closeConnection();
      await served.stop();
    }
  });
});
