// The first-load size report: every file the page fetches on first load (html, js, wasm, css,
// favicon), raw, gzip -9 and brotli -11, in one line. The product budget is 400 KB brotli (gzip is printed beside it).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, extname } from 'node:path';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';

const dist = process.argv[2] ?? 'dist';
const FIRST_LOAD = new Set(['.html', '.js', '.wasm', '.css', '.svg']);
const files = [];
const walk = (dir) => {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path);
    else if (FIRST_LOAD.has(extname(name))) files.push(path);
  }
};
walk(dist);
let raw = 0, gz = 0, br = 0, wasm = null;
for (const path of files) {
  const body = readFileSync(path);
  const g = gzipSync(body, { level: 9 }).length;
  const b = brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
  raw += body.length; gz += g; br += b;
  if (path.endsWith('.wasm')) wasm = { raw: body.length, gz: g, br: b };
}
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
console.log(`# size: first load (${files.length} files: html+js+wasm+css+icon) raw ${kb(raw)}, gzip ${kb(gz)}, brotli ${kb(br)}` +
  (wasm ? `; of which wasm raw ${kb(wasm.raw)}, gzip ${kb(wasm.gz)}, brotli ${kb(wasm.br)}` : '') + '; budget 400 KB brotli');
