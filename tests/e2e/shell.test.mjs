// The app shell in a real browser: it loads the release build, shows every pane with its
// accessible name, reflows on a narrow screen, and logs nothing to the console.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serveDist, launch, openPage, screenshot } from './harness.mjs';

let server, browser;
before(async () => { server = await serveDist(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

const PANES = [
  ['editor', 'Manifest'], ['cluster', 'Cluster'], ['console', 'Console'], ['timeline', 'Timeline'],
];

test('dist/ is publishable: its page has no live-reload script of trunk serve', async () => {
  const html = await (await fetch(server.url)).text();
  assert.doesNotMatch(html, /WebSocket|__trunk_address__/i, 'dist/index.html is a release build, not trunk serve\'s');
});

test('loads with every pane present and labelled, and no console error', async () => {
  const { page, problems } = await openPage(browser, server.url);
  assert.match(await page.title(), /StatefulSet Playground/);
  assert.match(await page.locator('.version-badge').innerText(), /models Kubernetes v1\.34/);
  for (const [pane, name] of PANES) {
    const region = page.getByRole('region', { name });
    assert.equal(await region.count(), 1, `the ${pane} pane is a region named "${name}"`);
    assert.ok(await region.isVisible(), `the ${pane} pane is visible`);
  }
  // The lesson drawer opens from the header and is labelled.
  await page.getByRole('button', { name: 'Lessons' }).click();
  const drawer = page.getByRole('complementary', { name: 'Lessons' });
  assert.ok(await drawer.isVisible());
  // No lesson is published yet: the drawer says so and points at what works today.
  assert.match(await drawer.innerText(), /No lessons are published yet/);
  // The keyboard lands in the drawer, and Escape closes it.
  assert.equal(await page.evaluate(() => document.activeElement?.closest('aside')?.id), 'lesson-drawer');
  await page.keyboard.press('Escape');
  assert.ok(await drawer.isHidden(), 'Escape closes the drawer');
  await page.getByRole('button', { name: 'Lessons' }).click();
  await page.getByRole('button', { name: 'Close lessons' }).first().click();
  assert.ok(await drawer.isHidden(), 'the close button closes the drawer');
  const shot = await screenshot(page, 'playground.png');
  console.log(`# screenshot: ${shot}`);
  assert.deepEqual(problems, [], 'the page logged problems');
});

test('every pane is reachable with the keyboard', async () => {
  const { page, problems } = await openPage(browser, server.url);
  const reached = new Set();
  for (let i = 0; i < 30; i++) {
    // The editor keeps Tab for indenting; Escape then Tab leaves it.
    if (await page.evaluate(() => document.activeElement?.id === 'editor-text')) await page.keyboard.press('Escape');
    await page.keyboard.press('Tab');
    const pane = await page.evaluate(() => document.activeElement?.closest('section.pane, header')?.className ?? '');
    reached.add(pane.split(' ').find((c) => c.endsWith('-pane') || c === 'app-header') ?? '');
  }
  for (const pane of ['editor-pane', 'cluster-pane', 'console-pane', 'timeline-pane', 'app-header']) {
    assert.ok(reached.has(pane), `Tab reaches the ${pane}; reached: ${[...reached].join(', ')}`);
  }
  assert.deepEqual(problems, []);
});

test('reflows to one column on a narrow screen', async () => {
  const { page, problems } = await openPage(browser, server.url, { width: 390, height: 844 });
  const boxes = await Promise.all(['.editor-pane', '.cluster-pane', '.console-pane', '.timeline-pane']
    .map((sel) => page.locator(sel).boundingBox()));
  for (const box of boxes) assert.ok(box.width <= 390, `pane fits the width (${box.width})`);
  for (let i = 1; i < boxes.length; i++) assert.ok(boxes[i].y >= boxes[i - 1].y + boxes[i - 1].height - 1, 'panes stack');
  await screenshot(page, 'playground-narrow.png');
  assert.deepEqual(problems, []);
});

test('interactive quickly (measured, not asserted)', async () => {
  const { page } = await openPage(browser, server.url);
  const t = await page.evaluate(() => {
    const nav = performance.getEntriesByType('navigation')[0];
    return { domContentLoaded: Math.round(nav.domContentLoadedEventEnd), now: Math.round(performance.now()) };
  });
  console.log(`# timing: app rendered by ${t.now} ms after navigation (DOMContentLoaded ${t.domContentLoaded} ms)`);
});

test('runs from a sub-path, as a static host serves a project site (/<repo>/)', async () => {
  const sub = await serveDist('/statefulset-playground/');
  try {
    const { page, problems } = await openPage(browser, sub.url);
    // The header's icon and the lazily fetched files resolve under the sub-path too.
    await page.waitForFunction(() => document.querySelector('.brand img')?.complete);
    assert.ok(await page.evaluate(() => document.querySelector('.brand img').naturalWidth > 0), 'the header icon loads');
    await page.getByLabel('Add a starter template after your text').selectOption({ label: 'PodDisruptionBudget for MySQL' });
    await page.waitForFunction(() => document.querySelector('#editor-text')?.value.includes('PodDisruptionBudget'));
    assert.deepEqual(problems, [], 'nothing failed to load');
    await page.close();
  } finally {
    await sub.close();
  }
});
