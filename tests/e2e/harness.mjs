// Shared pieces of the end-to-end tests: a static server for dist/ on 127.0.0.1 and a Chromium
// page that records every console error or warning and every uncaught exception (a Rust panic
// reaches the console as an error through Yew's panic hook).
import { createServer } from 'node:http';
import { readFile, mkdir } from 'node:fs/promises';
import { extname, join, normalize, resolve } from 'node:path';
import { chromium } from 'playwright-core';

export const ROOT = resolve(new URL('../..', import.meta.url).pathname);
export const DIST = join(ROOT, 'dist');
export const OUT = join(ROOT, 'target', 'e2e');

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.wasm': 'application/wasm',
  '.css': 'text/css', '.svg': 'image/svg+xml', '.png': 'image/png', '.json': 'application/json',
};

/** Serve dist/ on 127.0.0.1 at a free port, under `base` (as a static host serves a project
 *  site under /<repo>/); resolves to { url, close }. */
export async function serveDist(base = '/') {
  const server = createServer(async (req, res) => {
    const requested = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    if (!requested.startsWith(base)) { res.writeHead(404).end('not found'); return; }
    const path = normalize('/' + requested.slice(base.length));
    const file = join(DIST, path.endsWith('/') ? path + 'index.html' : path);
    if (!file.startsWith(DIST)) { res.writeHead(403).end(); return; }
    try {
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(404).end('not found');
    }
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address();
  return { url: `http://127.0.0.1:${port}${base}`, close: () => new Promise((ok) => server.close(ok)) };
}

/** Launch Debian's Chromium headless, as root, without reaching for the network. */
export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** A new page whose console problems are collected in `problems`. */
export async function openPage(browser, url, viewport = { width: 1440, height: 900 }) {
  const page = await browser.newPage({ viewport });
  const problems = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error' || msg.type() === 'warning') problems.push(`console.${msg.type()}: ${msg.text()}`);
  });
  page.on('pageerror', (err) => problems.push(`uncaught: ${err.message}`));
  page.on('requestfailed', (req) => problems.push(`request failed: ${req.url()}`));
  page.on('response', (res) => { if (res.status() >= 400) problems.push(`HTTP ${res.status()}: ${res.url()}`); });
  await page.goto(url);
  await page.waitForSelector('.app', { timeout: 15000 });
  return { page, problems };
}

/** Close every page but `keep` (each test opens its own, and each keeps its simulated clock
 *  running): a measurement then has the browser to itself. */
export async function closeOtherPages(browser, keep) {
  for (const context of browser.contexts()) {
    if (!context.pages().includes(keep)) await context.close();
  }
}

export async function screenshot(page, name) {
  await mkdir(OUT, { recursive: true });
  const path = join(OUT, name);
  await page.screenshot({ path, fullPage: true });
  return path;
}
