// The engine running in the page, as a learner uses it: apply the tutorial's web.yaml from the
// editor, watch simulated time move on its own, scale in the console, and see web-0, web-1 and
// web-2 Running and Ready with their claims and DNS names.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serveDist, launch, openPage, screenshot, closeOtherPages } from './harness.mjs';

let server, browser;
before(async () => { server = await serveDist(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

// Type lines into an emptied editor, pressing Enter between them (the editor indents).
async function typeLines(page, lines, { escape = false } = {}) {
  const editor = page.locator('#editor-text');
  await editor.fill('');
  await editor.focus();
  for (const [i, line] of lines.entries()) {
    if (i > 0) {
      if (escape) await page.keyboard.press('Escape');
      await page.keyboard.press('Enter');
    }
    await page.keyboard.type(line);
  }
  return editor;
}

async function command(page, line) {
  const input = page.locator('#console-input');
  await input.fill(line);
  await input.press('Enter');
}

test('apply web.yaml, scale to 3, and see three pods Running and Ready', async () => {
  const { page, problems } = await openPage(browser, server.url);
  await page.evaluate(() => localStorage.clear());
  await page.reload();
  await page.waitForSelector('.app');
  await page.getByRole('button', { name: 'Apply' }).click();
  await page.locator('.console-log').getByText('statefulset.apps/web created').waitFor();
  // Time runs on its own: web-0 appears and the clock moves.
  await page.locator('[data-pod="web-0"]').waitFor({ timeout: 5000 });
  await page.waitForFunction(() => document.querySelector('.clock')?.textContent !== 't = 0s', null, { timeout: 5000 });
  await screenshot(page, 'engine-starting.png');
  await command(page, 'kubectl scale sts web --replicas=3');
  await command(page, 'sim settle');
  await page.locator('.console-log').getByText('settled after').waitFor();
  await command(page, 'kubectl get pods');
  for (const pod of ['web-0', 'web-1', 'web-2']) {
    const card = page.locator(`[data-pod="${pod}"]`);
    await card.waitFor();
    assert.match(await card.innerText(), /Running 1\/1/, `${pod} card`);
    assert.match(await card.innerText(), new RegExp(`www-${pod} Bound`), `${pod} claim`);
  }
  const log = await page.locator('.console-log').innerText();
  for (const pod of ['web-0', 'web-1', 'web-2']) assert.match(log, new RegExp(`${pod}\\s+1/1\\s+Running`));
  assert.match(await page.locator('.cluster-pane').innerText(), /web-2\.nginx\.default\.svc\.cluster\.local → 10\.244\./);
  assert.match(await page.locator('.cluster-pane').innerText(), /statefulset\/web 3\/3/);
  console.log(`# screenshot: ${await screenshot(page, 'engine-running.png')}`);
  assert.deepEqual(problems, []);
});

test('an invalid manifest is diagnosed on its lines, Ctrl+Enter refuses it, and fixing it clears the list', async () => {
  const { page, problems } = await openPage(browser, server.url);
  const editor = page.locator('#editor-text');
  await editor.fill('apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: web\nspec:\n  replicas: -1\n  selector:\n    matchLabels: {app: a}\n  template:\n    metadata:\n      labels: {app: b}\n    spec:\n      containers:\n      - name: c\n        image: nginx:1.27\n');
  // The problems list names each API error at its line and column, in the API server's words.
  const list = page.getByRole('list', { name: 'Problems in the manifest' });
  await list.waitFor();
  const items = await list.innerText();
  assert.match(items, /6:13\s+error\s+The StatefulSet "web" is invalid: spec\.replicas: Invalid value: -1: must be greater than or equal to 0/);
  assert.match(items, /11:15\s+error\s+.*`selector` does not match template `labels`/);
  assert.match(await page.locator('#editor-problems-summary').innerText(), /^2 errors/);
  // The gutter marks the lines, and the offending values are underlined.
  assert.deepEqual(await page.locator('.gutter-line.mark-error').allInnerTexts(), ['6', '11']);
  // Underlined in pieces (each coloured run is its own element): '-1', then '{app: b}'.
  assert.equal((await page.locator('.squiggle-error').allInnerTexts()).join(''), '-1{app: b}');
  await screenshot(page, 'editor-diagnostics.png');
  // Ctrl+Enter refuses to apply while there are errors, and says why.
  await editor.press('Control+Enter');
  await page.locator('.console-log').getByText('Not applied: the manifest has 2 errors').waitFor();
  // Clicking a problem puts the cursor on it.
  await list.getByRole('button').filter({ hasText: 'spec.replicas' }).click();
  const caret = await editor.evaluate((el) => el.value.slice(0, el.selectionStart).split('\n').length);
  assert.equal(caret, 6, 'the cursor is on line 6');
  // The text the learner wrote survives a reload.
  await page.reload();
  await page.waitForSelector('.app');
  assert.match(await page.locator('#editor-text').inputValue(), /replicas: -1/);
  await screenshot(page, 'engine-invalid.png');
  // Fixed, the errors go and Apply works.
  await page.locator('#editor-text').fill('apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: web\nspec:\n  replicas: 1\n  selector:\n    matchLabels: {app: a}\n  template:\n    metadata:\n      labels: {app: a}\n    spec:\n      containers:\n      - name: c\n        image: nginx:1.27\n');
  await page.waitForFunction(() => !/error/.test(document.querySelector('#editor-problems-summary')?.textContent ?? 'error')
    || /^0 errors/.test(document.querySelector('#editor-problems-summary')?.textContent ?? ''));
  assert.match(await page.locator('#editor-problems-summary').innerText(), /^(No problems found|0 errors)/);
  await page.locator('#editor-text').press('Control+Enter');
  await page.locator('.console-log').getByText('statefulset.apps/web created').waitFor();
  assert.deepEqual(problems, []);
});

test('saved text that cannot be read is kept aside and shown, never thrown away', async () => {
  const { page, problems } = await openPage(browser, server.url);
  // An earlier version kept the text as a JSON string; this one is not JSON (a damaged store).
  await page.evaluate(() => {
    localStorage.clear();
    localStorage.setItem('statefulset-playground.editor.v1', 'kind: Pod\nmetadata: {name: "half');
  });
  await page.reload();
  await page.waitForSelector('.app');
  const text = await page.locator('#editor-text').inputValue();
  assert.match(text, /could not be read/);
  assert.match(text, /kind: Pod\nmetadata: \{name: "half/);
  assert.equal(await page.evaluate(() => localStorage.getItem('statefulset-playground.editor.v1.unreadable')),
    'kind: Pod\nmetadata: {name: "half');
  assert.deepEqual(problems, []);
});

test('text an earlier version saved (a JSON string) is read, and saved as it is from then on', async () => {
  const { page, problems } = await openPage(browser, server.url);
  await page.evaluate(() => {
    localStorage.clear();
    localStorage.setItem('statefulset-playground.editor.v1', JSON.stringify('# mine\nkind: Service\n'));
  });
  await page.reload();
  await page.waitForSelector('.app');
  assert.equal(await page.locator('#editor-text').inputValue(), '# mine\nkind: Service\n');
  assert.equal(await page.evaluate(() => localStorage.getItem('statefulset-playground.editor.v2')), '# mine\nkind: Service\n');
  assert.deepEqual(problems, []);
});

test('a starter template is added after the learner\'s text, applies cleanly, and is saved', async () => {
  const { page, problems } = await openPage(browser, server.url);
  await page.evaluate(() => localStorage.clear());
  await page.reload();
  await page.waitForSelector('.app');
  const before = await page.locator('#editor-text').inputValue();
  await page.getByLabel('Add a starter template after your text').selectOption('a0');
  // Templates are not in the first load: the page fetches the one picked.
  await page.waitForFunction(() => document.querySelector('#editor-text')?.value.includes('mysql-headless'));
  const after = await page.locator('#editor-text').inputValue();
  assert.ok(after.startsWith(before.trimEnd()), 'the learner\'s text is kept, first');
  assert.match(after, /name: mysql-headless/);
  assert.doesNotMatch(await page.locator('#editor-problems-summary').innerText(), /[1-9]\d* error/);
  await page.getByRole('button', { name: 'Apply' }).click();
  await page.locator('.console-log').getByText('statefulset.apps/mysql created').waitFor();
  await page.reload();
  await page.waitForSelector('.app');
  assert.match(await page.locator('#editor-text').inputValue(), /name: mysql-headless/);
  await screenshot(page, 'editor-template.png');
  assert.deepEqual(problems, []);
});

test('a template can replace the text, the tutorial\'s manifest comes back from the menu, and the previous text is never lost', async () => {
  const { page, problems } = await openPage(browser, server.url);
  await page.evaluate(() => localStorage.clear());
  await page.reload();
  await page.waitForSelector('.app');
  const editor = page.locator('#editor-text');
  await editor.fill('# my own notes\n');
  await page.getByLabel('Add a starter template after your text').selectOption('r0');
  await page.waitForFunction(() => document.querySelector('#editor-text')?.value.startsWith('# MySQL as a StatefulSet'));
  // The replaced text can be brought back; the swap keeps the template aside in its turn.
  await page.getByRole('button', { name: '↶ Previous text' }).click();
  assert.equal(await editor.inputValue(), '# my own notes\n');
  await page.getByRole('button', { name: '↶ Previous text' }).click();
  assert.match(await editor.inputValue(), /^# MySQL as a StatefulSet/);
  await page.getByLabel('Add a starter template after your text').selectOption('rtutorial');
  assert.match(await editor.inputValue(), /name: web\n/);
  assert.doesNotMatch(await editor.inputValue(), /mysql/);
  assert.deepEqual(problems, []);
});

test('editing keys: Enter keeps and opens indentation, Tab and Shift+Tab indent, Ctrl+/ toggles comments, Ctrl+Z undoes', async () => {
  const { page, problems } = await openPage(browser, server.url);
  const editor = await typeLines(page, ['spec:', 'replicas: 3', 'template:', 'x: 1']);
  assert.equal(await editor.inputValue(), 'spec:\n  replicas: 3\n  template:\n    x: 1');
  await page.keyboard.press('Control+/');
  assert.equal(await editor.inputValue(), 'spec:\n  replicas: 3\n  template:\n    # x: 1');
  await page.keyboard.press('Control+/');
  assert.equal(await editor.inputValue(), 'spec:\n  replicas: 3\n  template:\n    x: 1');
  await page.keyboard.press('Shift+Tab');
  assert.equal(await editor.inputValue(), 'spec:\n  replicas: 3\n  template:\n  x: 1');
  await page.keyboard.press('Home');
  await page.keyboard.press('Tab');
  assert.equal(await editor.inputValue(), 'spec:\n  replicas: 3\n  template:\n    x: 1');
  // The edits are in the browser's undo history (it may group them with the typing before).
  await page.keyboard.press('Control+/');
  await page.keyboard.press('Control+z');
  assert.doesNotMatch(await editor.inputValue(), /#/);
  // Escape, then Tab leaves the editor.
  await page.keyboard.press('Escape');
  await page.keyboard.press('Tab');
  assert.notEqual(await page.evaluate(() => document.activeElement?.id), 'editor-text');
  assert.deepEqual(problems, []);
});

test('completion pops up after spec: in a StatefulSet, filters as you type, and Enter accepts', async () => {
  const { page, problems } = await openPage(browser, server.url);
  // Escape closes any completion list before each Enter, so Enter makes a new line.
  const editor = await typeLines(page, ['apiVersion: apps/v1', 'kind: StatefulSet', 'spec:', ''], { escape: true });
  const list = page.getByRole('listbox', { name: 'Completions' });
  await list.waitFor();
  const all = await list.innerText();
  for (const field of ['replicas', 'serviceName', 'volumeClaimTemplates', 'podManagementPolicy']) assert.match(all, new RegExp(field));
  await screenshot(page, 'editor-completion.png');
  await page.keyboard.type('servi');
  assert.match(await list.innerText(), /^serviceName\s+string$/);
  await page.keyboard.press('Enter');
  assert.equal(await editor.inputValue(), 'apiVersion: apps/v1\nkind: StatefulSet\nspec:\n  serviceName: ');
  assert.equal(await list.count(), 0, 'the list closes');
  assert.deepEqual(problems, []);
});

test('hover: a field shows its type and upstream description (fetched only then), a problem its message; Ctrl+I does the same at the caret', async () => {
  const { page, problems } = await openPage(browser, server.url);
  const fetched = [];
  page.on('request', (r) => { if (r.url().includes('field-docs')) fetched.push(r.url()); });
  const editor = page.locator('#editor-text');
  await editor.fill('apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: web\nspec:\n  replicas: -1\n  serviceName: web\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      containers:\n      - name: nginx\n        image: nginx:1.27\n');
  await page.locator('#editor-problems-summary').getByText(/1 error/).waitFor();
  assert.equal(fetched.length, 0, 'the documentation is not part of the first load');
  // The point over a 1-based line and column of the text area.
  const point = (line, col) => page.evaluate(([line, col]) => {
    const area = document.querySelector('#editor-text');
    const r = area.getBoundingClientRect();
    const style = getComputedStyle(area);
    const ch = document.querySelector('.editor-measure').getBoundingClientRect().width / 10;
    return {
      x: r.left + parseFloat(style.paddingLeft) + (col - 0.5) * ch,
      y: r.top + parseFloat(style.paddingTop) + (line - 0.5) * parseFloat(style.lineHeight),
    };
  }, [line, col]);
  // Over the key `serviceName` (line 7).
  let p = await point(7, 5);
  await page.mouse.move(p.x, p.y);
  const tip = page.locator('#editor-tip');
  await tip.getByText('spec.serviceName').waitFor();
  await tip.getByText(/serviceName is the name of the service that governs this StatefulSet/).waitFor();
  assert.match(await tip.innerText(), /string/);
  assert.equal(fetched.length, 1, 'fetched once, when first needed');
  await screenshot(page, 'editor-hover.png');
  // Over the underlined -1 (line 6): the problem, in the API server's words.
  p = await point(6, 14);
  await page.mouse.move(p.x, p.y);
  await tip.getByText(/must be greater than or equal to 0/).waitFor();
  // Leaving the editor hides it.
  await page.mouse.move(1, 1);
  await tip.waitFor({ state: 'detached' });
  // Keyboard: the caret in `image`, Ctrl+I: shown, and announced politely.
  const text = await editor.inputValue();
  await editor.focus();
  await editor.evaluate((el, at) => el.setSelectionRange(at, at), text.indexOf('image:') + 2);
  await editor.press('Control+i');
  await tip.getByText('spec.template.spec.containers[0].image').waitFor();
  await tip.getByText(/Container image name/).waitFor();
  assert.match(await page.locator('.editor-stack [aria-live="polite"]').innerText(), /containers\[0\]\.image, string: Container image name/);
  await editor.press('Escape');
  await tip.waitFor({ state: 'detached' });
  assert.equal(fetched.length, 1);
  assert.deepEqual(problems, []);
});

test('hostile input: a 5 MB paste, 10,000 documents, an alias bomb and binary garbage keep the page responsive (measured)', async () => {
  const { page, problems } = await openPage(browser, server.url);
  await closeOtherPages(browser, page);
  const one = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: s\nspec:\n  clusterIP: None\n  selector:\n    app: a\n';
  // A 5 MB paste, as the browser delivers one (a paste event with the clipboard's text): the
  // editor refuses it at once with a notice, and the learner's text stays as it was.
  {
    const before = await page.locator('#editor-text').inputValue();
    const big = `---\n${one}`.repeat(Math.ceil(5_000_000 / (one.length + 4)));
    const t0 = Date.now();
    await page.evaluate((text) => {
      const el = document.querySelector('#editor-text');
      el.focus();
      const data = new DataTransfer();
      data.setData('text/plain', text);
      el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
    }, big);
    await page.locator('.editor-notice').getByText(/Not pasted: the text would be \d\.\d MB, and the editor holds at most 1 MB/).waitFor();
    await command(page, 'kubectl get nodes');
    await page.locator('.console-log').getByText('node-c').last().waitFor();
    console.log(`# measure: 5 MB paste (${big.length} characters): refused with a notice, and a command run, in ${Date.now() - t0} ms`);
    assert.equal(await page.locator('#editor-text').inputValue(), before, 'the text is unchanged');
  }
  const inputs = {
    'a paste with 5,000 duplicate keys': one.repeat(700),
    '10,000 documents': Array.from({ length: 10000 }, (_, i) => `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ns${i}\n`).join('---\n'),
    'alias bomb': 'a: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\ng: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\n',
    'binary garbage': Array.from({ length: 20000 }, (_, i) => String.fromCharCode((i * 7919) % 0xd7ff || 1)).join(''),
  };
  for (const [name, text] of Object.entries(inputs)) {
    const t0 = Date.now();
    // A paste (Playwright's fill types long text far more slowly than a paste arrives).
    await page.evaluate((text) => {
      const el = document.querySelector('#editor-text');
      el.value = text;
      el.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertFromPaste' }));
    }, text);
    await page.waitForFunction(() => document.querySelector('#editor-problems-summary')?.textContent?.length > 0, null, { timeout: 120000 });
    // The page still answers: a console command runs.
    await command(page, 'kubectl get nodes');
    await page.locator('.console-log').getByText('node-c').last().waitFor({ timeout: 120000 });
    const ms = Date.now() - t0;
    console.log(`# measure: ${name} (${text.length} characters): edit, diagnose and run a command in ${ms} ms`);
    assert.ok(await page.locator('#editor-problems-summary').isVisible());
  }
  assert.deepEqual(problems, []);
});

test('keystroke to diagnostics in the page (measured, not asserted)', async () => {
  const { page, problems } = await openPage(browser, server.url);
  await closeOtherPages(browser, page);
  const starter = await page.locator('#editor-text').inputValue();
  for (const [name, text] of [['the starter manifest', starter], ['a 300-line, 10-document manifest', `${starter}---\n`.repeat(6)]]) {
    const times = await page.evaluate(async (text) => {
      const el = document.querySelector('#editor-text');
      el.value = text;
      el.dispatchEvent(new InputEvent('input', { bubbles: true }));
      await new Promise((r) => setTimeout(r, 50));
      el.focus();
      // Type in the middle of the text (a value of the first document), as a learner does: the
      // browser's own insertText, which fires the input event.
      const at = text.indexOf('replicas: ') + 'replicas: '.length;
      el.setSelectionRange(at, at);
      const out = [];
      for (let i = 0; i < 21; i++) {
        const t = performance.now();
        document.execCommand('insertText', false, String(i % 10));
        // Up to the next task: the linter, the reducer and Yew's render (which may run in a
        // microtask) are done; an upper bound, since it includes the timer's own delay. Then the
        // page's style and layout, forced, so the figure covers the lines being laid out too.
        await new Promise((r) => setTimeout(r, 0));
        void document.body.offsetHeight;
        out.push(performance.now() - t);
      }
      return out.slice(1).sort((a, b) => a - b);
    }, text);
    const lines = text.split('\n').length;
    console.log(`# measure: keystroke to diagnostics, laid out, ${name} (${lines} lines): median ${times[10].toFixed(1)} ms, worst ${times[19].toFixed(1)} ms`);
  }
  assert.deepEqual(problems, []);
});
