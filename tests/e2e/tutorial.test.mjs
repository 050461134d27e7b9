// The kubernetes.io "StatefulSet Basics" tutorial's interactive steps, typed as the page
// prints them: a watch streaming the ordered start beside the prompt, a busybox shell that
// resolves web-0.nginx, the tutorial's loops, kubectl edit in the editor, and the prompt a
// kubectl user expects (history, Tab completion, Ctrl+C, Ctrl+L).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serveDist, launch, openPage, screenshot } from './harness.mjs';

let server, browser;
before(async () => { server = await serveDist(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

async function command(page, line) {
  const input = page.locator('#console-input');
  await input.fill(line);
  await input.press('Enter');
}

async function fresh() {
  const opened = await openPage(browser, server.url);
  await opened.page.evaluate(() => localStorage.clear());
  await opened.page.reload();
  await opened.page.waitForSelector('.app');
  return opened;
}

test('a watch streams the ordered start while the learner applies from a URL in the same page', async () => {
  const { page, problems } = await fresh();
  // In the first "terminal": the watch, on an empty list (it prints nothing yet).
  await command(page, 'kubectl get pods --watch -l app=nginx');
  await page.locator('.watch-panel').waitFor();
  assert.match(await page.locator('.watch-bar').innerText(), /kubectl get pods/);
  // In the second: the tutorial's apply, by URL (the page fetches the shipped copy).
  await command(page, 'kubectl apply -f https://k8s.io/examples/application/web/web.yaml');
  await page.locator('.console-log').getByText('statefulset.apps/web created').waitFor();
  // The rows arrive as simulated time passes: web-0 Running before web-1 is created.
  await page.waitForFunction(() => /web-1\s+1\/1\s+Running/.test(document.querySelector('.watch-output')?.textContent ?? ''), null, { timeout: 30000 });
  const rows = await page.locator('.watch-output').innerText();
  assert.match(rows, /^NAME\s+READY\s+STATUS/);
  const runningWeb0 = rows.search(/web-0\s+1\/1\s+Running/);
  const firstWeb1 = rows.search(/web-1\s+0\/1\s+Pending/);
  assert.ok(runningWeb0 >= 0 && firstWeb1 > runningWeb0, `web-1 starts after web-0 is Running:\n${rows}`);
  console.log(`# screenshot: ${await screenshot(page, 'tutorial-watch.png')}`);
  // Ctrl+C at the prompt stops it; its rows stay in the scrollback.
  await page.locator('#console-input').press('Control+c');
  await page.locator('.watch-panel').waitFor({ state: 'detached' });
  assert.match(await page.locator('.console-log').innerText(), /\^C/);
  assert.deepEqual(problems, []);
});

test('a busybox shell resolves web-0.nginx, then --rm deletes its pod; the loops run as printed', async () => {
  const { page, problems } = await fresh();
  await command(page, 'kubectl apply -f https://k8s.io/examples/application/web/web.yaml');
  await command(page, 'kubectl rollout status sts/web');
  await page.locator('.console-log').getByText('roll out complete').waitFor();
  await command(page, 'for i in 0 1; do kubectl exec "web-$i" -- sh -c \'hostname\'; done');
  await page.waitForFunction(() => /done\nweb-0\nweb-1/.test(document.querySelector('.console-log')?.innerText ?? ''));
  await command(page, 'kubectl run -i --tty --image busybox:1.28 dns-test --restart=Never --rm');
  await page.locator('.console-log').getByText("If you don't see a command prompt, try pressing enter.").waitFor();
  assert.equal(await page.locator('.console-form .prompt').innerText(), '/ #');
  await command(page, 'nslookup web-0.nginx');
  await page.locator('.console-log').getByText(/web-0\.nginx\.default\.svc\.cluster\.local/).waitFor();
  const log = await page.locator('.console-log').innerText();
  assert.match(log, /\/ # nslookup web-0\.nginx\nServer:\s+10\.96\.0\.10\nAddress 1: 10\.96\.0\.10 kube-dns\.kube-system\.svc\.cluster\.local\n\nName:\s+web-0\.nginx\nAddress 1: 10\.244\.\d+\.\d+ web-0\.nginx\.default\.svc\.cluster\.local/);
  console.log(`# screenshot: ${await screenshot(page, 'tutorial-busybox-shell.png')}`);
  await command(page, 'exit');
  await page.locator('.console-log').getByText('pod "dns-test" deleted from default namespace').waitFor();
  assert.equal(await page.locator('.console-form .prompt').innerText(), '$');
  assert.deepEqual(problems, []);
});

test('kubectl edit opens the object in the editor, keeps the learner\'s manifest aside, and saves', async () => {
  const { page, problems } = await fresh();
  const mine = await page.locator('#editor-text').inputValue();
  await page.getByRole('button', { name: 'Apply' }).click();
  await page.locator('.console-log').getByText('statefulset.apps/web created').waitFor();
  await command(page, 'kubectl edit sts web');
  await page.locator('#editor-title').getByText('kubectl edit statefulsets.apps/web').waitFor();
  const text = await page.locator('#editor-text').inputValue();
  assert.match(text, /^# Please edit the object below\./);
  await page.locator('#editor-text').fill(text.replace(/replicas: 2/, 'replicas: 3'));
  await page.getByRole('button', { name: 'Save' }).click();
  await page.locator('.console-log').getByText('statefulset.apps/web edited').waitFor();
  await page.locator('#editor-title').getByText('Manifest').waitFor();
  await page.waitForFunction((mine) => document.querySelector('#editor-text')?.value === mine, mine);
  // The saved copy is the learner's text throughout, never the edited object.
  await page.waitForFunction((mine) => localStorage.getItem('statefulset-playground.editor.v2') === mine, mine);
  assert.deepEqual(problems, []);
});

test('the prompt: history across reloads, Tab completion, Ctrl+L; long rows scroll instead of wrapping', async () => {
  const { page, problems } = await fresh();
  await page.getByRole('button', { name: 'Apply' }).click();
  await command(page, 'sim settle');
  await command(page, 'kubectl get pods -o wide');
  await page.reload();
  await page.waitForSelector('.app');
  const input = page.locator('#console-input');
  await input.focus();
  await input.press('ArrowUp');
  assert.equal(await input.inputValue(), 'kubectl get pods -o wide');
  await input.press('ArrowUp');
  assert.equal(await input.inputValue(), 'sim settle');
  await input.press('ArrowDown');
  await input.press('ArrowDown');
  assert.equal(await input.inputValue(), '');
  await input.fill('kubectl get stat');
  await input.press('Tab');
  assert.equal(await input.inputValue(), 'kubectl get statefulsets ');
  await input.fill('kubectl de');
  await input.press('Tab');
  assert.match(await page.locator('.console-offered').innerText(), /delete\s+describe/);
  // The reload started a fresh cluster: apply again.
  await page.getByRole('button', { name: 'Apply' }).click();
  await input.fill('kubectl get pods -o wide');
  await input.press('Enter');
  await page.locator('.console-log').getByText('NOMINATED NODE').waitFor();
  const wraps = await page.locator('.console-output').last().evaluate((el) => getComputedStyle(el).whiteSpace);
  assert.equal(wraps, 'pre');
  await input.press('Control+l');
  await page.locator('.console-entry').first().waitFor({ state: 'detached' });
  assert.deepEqual(problems, []);
});
