// Model steps in the web studio (headless Chromium, onnxruntime-web): rows/s of each workload given
// (dedup.semantic embedding with a user model, score.model, filter.toxicity with the shipped model),
// and memory: the page's peak resident memory (VmHWM of the page's renderer process, which holds the
// studio's wasm heap, onnxruntime-web's heap and its worker) and the studio's wasm heap at the end.
// One fresh browser per workload, so each peak is its own. Prints numbers; asserts nothing (shared,
// noisy machines).
//   node model_bench_web.js --dist DIR [--models DIR] --work NAME=PIPELINE:DATA:ROWS ...
'use strict';
const fs = require('fs');
const path = require('path');
const { spawn } = require('child_process');
const playwright = require('playwright-core');

function arg(n, d) { const i = process.argv.indexOf('--' + n); return i > 0 ? process.argv[i + 1] : d; }
const dist = arg('dist'), models = arg('models');
const works = [];
for (let i = 0; i < process.argv.length; i++) {
  if (process.argv[i] !== '--work') continue;
  const [name, rest] = process.argv[i + 1].split('=');
  const [pipeline, data, rows] = rest.split(':');
  works.push({ name, pipeline, data, rows: Number(rows) });
}
const serve = path.join(__dirname, '..', '..', 'scripts', 'serve.py');

function startServer() {
  return new Promise((resolve, reject) => {
    const p = spawn('/usr/bin/python3', [serve, dist, '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
    let buf = '';
    p.stdout.on('data', (d) => { buf += d; const m = buf.match(/http:\/\/127\.0\.0\.1:(\d+)\//); if (m) resolve({ proc: p, origin: 'http://127.0.0.1:' + m[1] }); });
    p.on('exit', (c) => reject(new Error('serve.py exited ' + c)));
  });
}
async function holdPress(page, combo) {
  const keys = combo.split('+');
  for (const k of keys) await page.keyboard.down(k);
  await page.waitForTimeout(250);
  for (const k of keys.reverse()) await page.keyboard.up(k);
}

// Peak RSS (kB) of the Chromium renderer processes below this node process (the page's renderer
// is the largest of them).
function rendererPeakKb() {
  const parent = new Map();
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${d}/stat`, 'utf8');
      parent.set(Number(d), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch (e) { /* gone */ }
  }
  const below = (pid) => { for (let p = parent.get(pid); p; p = parent.get(p)) if (p === process.pid) return true; return false; };
  let peak = 0;
  for (const pid of parent.keys()) {
    if (!below(pid)) continue;
    try {
      if (!fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('--type=renderer')) continue;
      const m = fs.readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmHWM:\s+(\d+)/);
      if (m) peak = Math.max(peak, Number(m[1]));
    } catch (e) { /* gone */ }
  }
  return peak;
}

async function runOne(origin, w) {
  const browser = await playwright.chromium.launch({
    executablePath: '/usr/bin/chromium', headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--enable-unsafe-swiftshader', '--disable-quic', '--no-first-run',
           '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
    await page.goto(origin + '/index.html');
    await page.waitForFunction(() => window.winnow && window.winnow.status().load === 'idle', null, { timeout: 0 });
    const runtime = await page.evaluate(() => window.winnowModels.describe());
    if (models) {
      const files = ['tiny_bert.onnx', 'classifier.onnx', 'vocab.txt'].map((f) => path.join(models, f)).filter((f) => fs.existsSync(f));
      await page.setInputFiles('#file-model', files);
      await page.waitForFunction((n) => window.winnowModels.filesAdded >= n, files.length, { timeout: 0 });
    }
    const name = JSON.parse(fs.readFileSync(w.pipeline, 'utf8')).name;
    await page.setInputFiles('#file-pipeline', w.pipeline);
    await page.waitForFunction((n) => window.winnow.status().pipeline === n, name, { timeout: 0 });
    await page.setInputFiles('#file-dataset', w.data);
    await page.waitForFunction(() => window.winnow.status().load === 'done', null, { timeout: 0 });
    const t0 = Date.now();
    await holdPress(page, 'Control+Enter');
    await page.waitForFunction(() => ['done', 'failed', 'cancelled'].includes(window.winnow.status().run), null, { timeout: 0, polling: 200 });
    const secs = (Date.now() - t0) / 1000;
    const st = await page.evaluate(() => window.winnow.status());
    const wasm = await page.evaluate(() => HEAPU8.length);
    const peak = rendererPeakKb();
    const label = `web ${w.name}`.padEnd(34);
    if (st.run !== 'done') console.log(`${label} run ${st.run}: ${st.run_error || ''}`);
    else console.log(`${label} ${(w.rows / secs).toFixed(w.rows / secs < 10 ? 1 : 0).padStart(7)} rows/s  ${secs.toFixed(1).padStart(6)} s  ` +
                     `page peak RSS ${(peak / 1024).toFixed(0)} MB (studio wasm heap ${(wasm / 1048576).toFixed(0)} MB)  [${runtime}]`);
  } finally {
    await browser.close();
  }
}

(async () => {
  const server = await startServer();
  try {
    for (const w of works) await runOne(server.origin, w);
  } finally {
    server.proc.kill();
  }
})();
