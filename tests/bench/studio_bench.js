// Web studio benchmark in headless Chromium (playwright-core): time to open a large JSONL, peak JS
// heap and wasm memory, frame times while scrolling the 1M-row table, and sft-default over 100k
// Alpaca rows in the page, cross-origin isolated (the threaded build, when dist/ has it) and not
// (single-threaded, frame-sliced), with the frame times while the run works. Prints numbers;
// asserts nothing (shared, noisy machines).
//   node studio_bench.js --dist DIR [--big FILE] [--alpaca FILE]
'use strict';
const path = require('path');
const fs = require('fs');
const { spawn } = require('child_process');
const playwright = require('playwright-core');

function arg(n, d) { const i = process.argv.indexOf('--' + n); return i > 0 ? process.argv[i + 1] : d; }
const dist = arg('dist'), big = arg('big'), alpaca = arg('alpaca');
const serve = path.join(__dirname, '..', '..', 'scripts', 'serve.py');

function startServer(isolated) {
  return new Promise((resolve, reject) => {
    const args = [serve, dist, '--port', '0'].concat(isolated ? [] : ['--no-isolation']);
    const p = spawn('/usr/bin/python3', args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let buf = '';
    p.stdout.on('data', (d) => { buf += d; const m = buf.match(/http:\/\/127\.0\.0\.1:(\d+)\//); if (m) resolve({ proc: p, origin: 'http://127.0.0.1:' + m[1] }); });
    p.on('exit', (c) => reject(new Error('serve.py exited ' + c)));
  });
}
const pct = (a, p) => { if (!a.length) return 0; const s = [...a].sort((x, y) => x - y); return s[Math.min(s.length - 1, Math.floor(p / 100 * s.length))]; };
const sum = (a) => a.reduce((x, y) => x + y, 0);
const mb = (n) => (n / 1e6).toFixed(0) + ' MB';
const frameLine = (f) => `${f.length} frames, frame work median ${pct(f, 50).toFixed(2)} ms, p95 ${pct(f, 95).toFixed(2)} ms, ` +
                         `max ${(f.length ? Math.max(...f) : 0).toFixed(1)} ms`;

async function openPage(browser, origin) {
  const page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
  await page.goto(origin + '/index.html#preset=sft-default');
  await page.waitForFunction(() => window.winnow && window.winnow.status().load === 'idle', null, { timeout: 0 });
  return page;
}

// Peak resident memory (bytes) of the Chromium renderer processes started below this node process:
// the largest is the page's (wasm memory as far as touched, V8 heap, Blink, GPU command buffers).
function rendererPeakBytes() {
  const ppid = new Map();
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try { const st = fs.readFileSync(`/proc/${d}/stat`, 'utf8'); ppid.set(Number(d), Number(st.slice(st.lastIndexOf(')') + 2).split(' ')[1])); } catch (e) { /* gone */ }
  }
  let peak = 0;
  for (const pid of ppid.keys()) {
    let p = ppid.get(pid);
    while (p && p !== process.pid) p = ppid.get(p);
    if (!p) continue;
    try {
      if (!fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('--type=renderer')) continue;
      const m = fs.readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmHWM:\s+(\d+)/);
      if (m) peak = Math.max(peak, Number(m[1]) * 1024);
    } catch (e) { /* gone */ }
  }
  return peak;
}

// Samples the JS heap and the wasm memory (wasmMemory.buffer: current in either build) every 50 ms.
// usedJSHeapSize counts the V8 heap and the ArrayBuffers it holds, dead ones until collected.
async function startMemorySampler(page) {
  await page.evaluate(() => {
    window.benchPeak = { heap: 0, wasm: 0 };
    window.benchTimer = setInterval(() => {
      window.benchPeak.heap = Math.max(window.benchPeak.heap, performance.memory ? performance.memory.usedJSHeapSize : 0);
      window.benchPeak.wasm = Math.max(window.benchPeak.wasm, wasmMemory.buffer.byteLength);
    }, 50);
  });
}
const stopMemorySampler = (page) => page.evaluate(() => { clearInterval(window.benchTimer); return window.benchPeak; });

async function runAlpaca(browser, isolated) {
  const server = await startServer(isolated);
  try {
    const page = await openPage(browser, server.origin);
    const build = await page.evaluate(() => window.winnowBuild + (self.crossOriginIsolated ? ', cross-origin isolated' : ', not isolated'));
    await page.setInputFiles('#file-dataset', alpaca);
    await page.waitForFunction(() => window.winnow.status().load === 'done', null, { timeout: 0, polling: 200 });
    await page.evaluate(() => { window.winnow.frameTimes = []; });
    await page.keyboard.down('Control');
    await page.keyboard.press('Enter');
    await page.keyboard.up('Control');
    await page.waitForFunction(() => ['done', 'failed'].includes(window.winnow.status().run), null, { timeout: 0, polling: 200 });
    const frames = await page.evaluate(() => { const f = window.winnow.frameTimes; window.winnow.frameTimes = null; return f; });
    const st = await page.evaluate(() => window.winnow.status());
    console.log(`sft-default in the browser (${build}) on ${st.rows} Alpaca rows: ${st.run} in ${st.run_seconds.toFixed(2)} s ` +
                `(${(st.rows / st.run_seconds).toFixed(0)} rows/s, ${st.run_thread ? 'worker thread' : 'frame-sliced on the main thread'})`);
    console.log(`  while it ran: ${frameLine(frames)}`);
    await page.close();
  } finally {
    server.proc.kill();
  }
}

(async () => {
  const browser = await playwright.chromium.launch({
    executablePath: '/usr/bin/chromium', headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--enable-unsafe-swiftshader', '--disable-quic', '--no-first-run',
           '--disable-background-networking', '--disable-component-update', '--disable-sync', '--enable-precise-memory-info'],
  });
  try {
    if (big) {
      const server = await startServer(true);
      try {
        const size = fs.statSync(big).size;
        const page = await openPage(browser, server.origin);
        const build = await page.evaluate(() => window.winnowBuild);
        await startMemorySampler(page);
        // The loader runs in each frame (about 25 ms) and in page tasks between frames (about 12 ms
        // each): the longest of either is how long a click or key may wait while a file opens.
        await page.evaluate(() => { window.winnow.frameTimes = []; window.winnow.pumpTimes = []; });
        const t0 = Date.now();
        await page.setInputFiles('#file-dataset', big);
        await page.waitForFunction(() => ['done', 'failed'].includes(window.winnow.status().load), null, { timeout: 0, polling: 200 });
        const wall = (Date.now() - t0) / 1000;
        const st = await page.evaluate(() => window.winnow.status());
        const peak = await stopMemorySampler(page);
        const rss = rendererPeakBytes();
        const loadFrames = await page.evaluate(() => { const f = window.winnow.frameTimes; window.winnow.frameTimes = null; return f; });
        const pumps = await page.evaluate(() => { const f = window.winnow.pumpTimes; window.winnow.pumpTimes = null; return f; });
        console.log(`open ${path.basename(big)} (${mb(size)}, ${build} build): ${st.load}, ${st.rows} rows in ${st.load_seconds.toFixed(1)} s ` +
                    `(${(size / 1e6 / st.load_seconds).toFixed(0)} MB/s; ${wall.toFixed(1)} s wall incl. handing the file over)`);
        const x = (n) => (n / size).toFixed(2) + ' x file size';
        console.log(`  peak wasm memory ${mb(peak.wasm)} = ${x(peak.wasm)}, peak JS heap ${mb(peak.heap)} = ${x(peak.heap)}; ` +
                    `together ${mb(peak.wasm + peak.heap)} = ${x(peak.wasm + peak.heap)} (target <= 1.5); Dataset ${mb(st.memory)}; ` +
                    `page renderer peak RSS ${mb(rss)} = ${x(rss)}`);
        console.log(`  while loading: ${frameLine(loadFrames)}; between frames ${pumps.length} loader tasks, ` +
                    `median ${pct(pumps, 50).toFixed(1)} ms, max ${(pumps.length ? Math.max(...pumps) : 0).toFixed(1)} ms; ` +
                    `main thread busy ${((sum(loadFrames) + sum(pumps)) / 1000).toFixed(1)} s of ${st.load_seconds.toFixed(1)} s`);
        // Frame interval with nothing to do (the same page, no input for two seconds): what the
        // browser and its GL (SwiftShader here: software rasterization) take per frame on their own.
        const idle = await page.evaluate(() => new Promise((resolve) => {
          const iv = [];
          let last = 0;
          const t0 = performance.now();
          const tick = (t) => { if (last) iv.push(t - last); last = t; if (t - t0 < 2000) requestAnimationFrame(tick); else resolve(iv); };
          requestAnimationFrame(tick);
        }));
        console.log(`  idle page: frame interval median ${pct(idle, 50).toFixed(1)} ms, p95 ${pct(idle, 95).toFixed(1)} ms ` +
                    `(${idle.length} frames in 2 s)`);
        // Scroll the table: wheel events over it (9 notches down a step, 20 up every sixth) while
        // recording each frame's work time and, from requestAnimationFrame timestamps, the interval
        // between frames (what a person sees: work, GL upload and compositing together).
        await page.evaluate(() => {
          window.winnow.frameTimes = [];
          window.benchIntervals = [];
          let last = 0;
          const tick = (t) => { if (last) window.benchIntervals.push(t - last); last = t; if (window.benchIntervals) requestAnimationFrame(tick); };
          requestAnimationFrame(tick);
        });
        await page.mouse.move(400, 400);
        const rafStart = await page.evaluate(() => performance.now());
        let maxTop = 0;
        for (let i = 0; i < 300; i++) {
          await page.mouse.wheel(0, i % 60 < 50 ? 900 : -2000);
          if (i % 10 === 9) maxTop = Math.max(maxTop, (await page.evaluate(() => window.winnow.status())).data_top_row || 0);
        }
        const frames = await page.evaluate(() => { const f = window.winnow.frameTimes; window.winnow.frameTimes = null; return f; });
        const intervals = await page.evaluate(() => { const f = window.benchIntervals; window.benchIntervals = null; return f; });
        const rafEnd = await page.evaluate(() => performance.now());
        console.log(`  scrolling ${st.rows} rows (down to row ${maxTop + 1}): ${frameLine(frames)}; frame interval median ` +
                    `${pct(intervals, 50).toFixed(1)} ms, p95 ${pct(intervals, 95).toFixed(1)} ms (target median <= 16 ms); ` +
                    `${(frames.length / ((rafEnd - rafStart) / 1000)).toFixed(0)} frames/s in headless SwiftShader`);
        // Search all fields of every row (Ctrl+F, then the query typed one character per two frames;
        // each keystroke restarts the search): time from the last keystroke until it has finished,
        // and the frames drawn meanwhile (the search runs in slices, so they must stay short).
        const query = 'careful review';
        await page.keyboard.press('Control+F');
        for (const ch of query) {
          const f0 = await page.evaluate(() => window.winnow.status().frames);
          await page.keyboard.type(ch);
          await page.waitForFunction((f) => window.winnow.status().frames >= f + 2, f0, { timeout: 0, polling: 'raf' });
        }
        await page.evaluate(() => { window.winnow.frameTimes = []; window.winnow.pumpTimes = []; window.benchSearchT0 = performance.now(); });
        await page.waitForFunction((q) => { const s = window.winnow.status(); return s.search_query === q && s.search_done; },
                                   query, { timeout: 0, polling: 50 });
        const sr = await page.evaluate(() => {
          const r = { s: (performance.now() - window.benchSearchT0) / 1000, f: window.winnow.frameTimes, p: window.winnow.pumpTimes,
                      st: window.winnow.status() };
          window.winnow.frameTimes = null; window.winnow.pumpTimes = null;
          return r;
        });
        console.log(`  search "${query}" over ${sr.st.rows} rows: ${sr.st.search_matches} matches, done ${sr.s.toFixed(1)} s after the ` +
                    `last keystroke; meanwhile ${frameLine(sr.f)}; ${sr.p.length} search tasks between frames, ` +
                    `max ${(sr.p.length ? Math.max(...sr.p) : 0).toFixed(1)} ms`);
        await page.close();
      } finally {
        server.proc.kill();
      }
    }
    if (alpaca) {
      await runAlpaca(browser, true);
      await runAlpaca(browser, false);
    }
  } finally {
    await browser.close();
  }
})();
