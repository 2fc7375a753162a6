// Model steps in the web studio (headless Chromium, onnxruntime-web): rows/s of dedup.semantic
// (embedding) and score.model over a generated chat file, with the page's wasm memory and JS heap at
// the end. Prints numbers; asserts nothing (shared, noisy machines).
//   node model_bench_web.js --dist DIR --models DIR --data FILE --rows N --embed PIPELINE --score PIPELINE
'use strict';
const path = require('path');
const { spawn } = require('child_process');
const playwright = require('playwright-core');

function arg(n, d) { const i = process.argv.indexOf('--' + n); return i > 0 ? process.argv[i + 1] : d; }
const dist = arg('dist'), models = arg('models'), data = arg('data'), rows = Number(arg('rows', '0'));
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

(async () => {
  const server = await startServer();
  const browser = await playwright.chromium.launch({
    executablePath: '/usr/bin/chromium', headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--enable-unsafe-swiftshader', '--disable-quic', '--no-first-run',
           '--disable-background-networking', '--disable-component-update', '--disable-sync', '--enable-precise-memory-info'],
  });
  try {
    for (const which of ['embed', 'score']) {
      const page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
      await page.goto(server.origin + '/index.html');
      await page.waitForFunction(() => window.winnow && window.winnow.status().load === 'idle', null, { timeout: 0 });
      const runtime = await page.evaluate(() => window.winnowModels.describe());
      await page.setInputFiles('#file-model', ['tiny_bert.onnx', 'classifier.onnx', 'vocab.txt'].map((f) => path.join(models, f)));
      await page.waitForFunction(() => window.winnowModels.filesAdded >= 3, null, { timeout: 0 });
      await page.setInputFiles('#file-pipeline', arg(which));
      await page.waitForFunction(() => window.winnow.status().pipeline.startsWith('bench-'), null, { timeout: 0 });
      await page.setInputFiles('#file-dataset', data);
      await page.waitForFunction(() => window.winnow.status().load === 'done', null, { timeout: 0 });
      const t0 = Date.now();
      await holdPress(page, 'Control+Enter');
      await page.waitForFunction(() => ['done', 'failed', 'cancelled'].includes(window.winnow.status().run), null, { timeout: 0, polling: 200 });
      const secs = (Date.now() - t0) / 1000;
      const st = await page.evaluate(() => window.winnow.status());
      const mem = await page.evaluate(() => ({ wasm: HEAPU8.length, js: performance.memory ? performance.memory.usedJSHeapSize : 0 }));
      const step = which === 'embed' ? 'dedup.semantic' : 'score.model';
      if (st.run !== 'done') console.log(`web ${which} (${step}): run ${st.run}: ${st.run_error || ''}`);
      else console.log(`web ${which} (${step}) [${runtime}]: ${rows} rows in ${secs.toFixed(1)} s = ${Math.round(rows / secs)} rows/s, ` +
                       `studio wasm memory ${(mem.wasm / 1e6).toFixed(0)} MB, JS heap ${(mem.js / 1e6).toFixed(0)} MB`);
      await page.close();
    }
  } finally {
    await browser.close();
    server.proc.kill();
  }
})();
