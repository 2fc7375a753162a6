// Browser end-to-end test of studio behaviours the other page tests do not reach:
//   - drag and drop: a File in a DataTransfer dropped on the canvas (real dragenter / dragover /
//     drop events; web/studio.js listens on the window) loads it, and the page shows the drop cue
//     while dragging;
//   - a gzip-compressed dataset (.jsonl.gz, made here with zlib) opened through #file-dataset is
//     read through the browser's DecompressionStream: the same rows as the plain file, and a run's
//     outputs equal `winnow run` natively on the .gz byte for byte (and kept.jsonl / rejected.jsonl
//     equal the native run on the uncompressed file: only the file name differs elsewhere);
//   - the View menu's light theme: status().theme, and a screenshot much brighter than the dark one;
//   - Review's "Next flagged": a pipeline that flags exact duplicates instead of dropping them; the
//     button moves to the first flagged row, then to the next (the rows native annotations.jsonl lists);
//   - Esc cancels a running pipeline: the run ends 'cancelled', has no outputs, Ctrl+E exports nothing;
//   - outputs larger than one 8 MB part (the same 40 000 rows through the flag-duplicates pipeline):
//     kept.jsonl is downloaded part by part and equals `winnow run`'s outputs byte for byte;
//   - device-pixel ratio 2: the canvas backing store is twice its CSS size and the page is drawn;
//   - the mouse wheel scrolls the Data table the right way, a few rows a notch;
//   - CJK text (alpaca_zh_demo.json): the page fetches the fallback font from its own origin and
//     the UI font's atlas draws the characters the data holds (status().glyphs).
// Every request must stay on the page's origin.
//   node tests/e2e/ui_e2e.js --dist DIR --cli NATIVE_WINNOW --data-dir SHARED_DATA [--out DIR]
//                            [--isolation on|off]
// Exit codes: 0 pass, 1 fail, 77 skipped (a prerequisite is missing; the message says which).
'use strict';
const fs = require('fs');
const path = require('path');
const os = require('os');
const zlib = require('zlib');
const { spawnSync } = require('child_process');
const { decode, stats } = require('./png_stats');
const { arg, check, skip, finish, requirePlaywright, startServer, launchChromium, holdPress, waitFor, pressUntil,
        frames, shot, checkSameOrigin, newStudioPage, exportAll, compareOutputs, root } = require('./e2e_lib');

const dist = arg('dist');
const cli = arg('cli') && path.resolve(arg('cli'));
const dataDir = arg('data-dir');
const out = arg('out', fs.mkdtempSync(path.join(os.tmpdir(), 'winnow-ui-e2e-')));
const isolation = arg('isolation', 'on');

if (!dist || !fs.existsSync(path.join(dist, 'index.html')) || !fs.existsSync(path.join(dist, 'winnow_studio.wasm'))) {
  console.error('no built studio in ' + dist + ' (build the studio_dist target)');
  process.exit(1);
}
const alpaca = dataDir && path.join(dataDir, 'llamafactory', 'alpaca_en_demo.json');
if (!alpaca || !fs.existsSync(alpaca)) skip('../shared/data/llamafactory is absent (the shared datasets are not on this machine)');
if (!cli || !fs.existsSync(cli)) {
  console.error('the native CLI ' + cli + ' is not built (needed for the byte-for-byte comparison)');
  process.exit(1);
}
const playwright = requirePlaywright();

// ---- the files.
fs.rmSync(out, { recursive: true, force: true });
const shots = path.join(out, 'screenshots');
fs.mkdirSync(shots, { recursive: true });
// A small Alpaca JSONL: the first 200 rows of alpaca_en_demo with exact copies of rows 4, 11 and
// 51 placed later (row 11 twice), so dedup.exact in flag mode flags 4 rows and drops none.
const base = JSON.parse(fs.readFileSync(alpaca, 'utf8')).slice(0, 200);
const rows = base.slice();
for (const [at, src] of [[140, 50], [76, 10], [75, 10], [30, 3]]) rows.splice(at, 0, Object.assign({}, base[src]));
const small = path.join(out, 'small.jsonl');
fs.writeFileSync(small, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
const smallGz = path.join(out, 'small.jsonl.gz');
fs.writeFileSync(smallGz, zlib.gzipSync(fs.readFileSync(small), { level: 9 }));
const pipeline = {
  version: 1, name: 'ui-e2e-flag', seed: 7,
  steps: [
    { type: 'validate' },
    { type: 'normalize' },
    { id: 'dups', type: 'dedup.exact', params: { view: 'example', action: 'flag' } },
  ],
};
const pipelineFile = path.join(out, 'flag_duplicates.json');
fs.writeFileSync(pipelineFile, JSON.stringify(pipeline, null, 2));
// A run long enough to cancel: 40000 generated rows through sft-default (dedup.near dominates; the
// studio takes about 10 s on it threaded, 30 s frame-sliced here; the Esc lands in the first 2 s).
let seed = 12345;
const rnd = () => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed / 0x7fffffff; };
const words = ('alpha beta gamma delta river stone cloud paper green window garden market yellow silver orange ' +
               'planet music doctor engine forest winter summer bridge castle').split(' ');
const sentence = (n) => Array.from({ length: n }, () => words[Math.floor(rnd() * words.length)]).join(' ');
const big = path.join(out, 'big.jsonl');
const bigRows = 40000;
fs.writeFileSync(big, Array.from({ length: bigRows }, (_, i) =>
  JSON.stringify({ instruction: 'Question ' + i + ': ' + sentence(12), input: '', output: sentence(50) + '.' })).join('\n') + '\n');
const sftDefault = path.join(root, 'assets', 'presets', 'sft-default.json');

// The native runs: on the .gz (the page's outputs must equal these) and on the plain file.
const cliGz = path.join(out, 'cli_gz'), cliPlain = path.join(out, 'cli_plain');
for (const [input, dir] of [[smallGz, cliGz], [small, cliPlain]]) {
  const r = spawnSync(cli, ['run', pipelineFile, input, '-o', dir], { encoding: 'utf8' });
  check(r.status === 0, `winnow run on ${path.basename(input)} exited with ${r.status}` + (r.status ? ': ' + (r.stderr || '').trim() : ''));
}
// The native run on the large rows: the page's outputs of section 5b must equal these.
const cliBig = path.join(out, 'cli_big');
{
  const r = spawnSync(cli, ['run', pipelineFile, big, '-o', cliBig], { encoding: 'utf8' });
  check(r.status === 0, `winnow run on ${path.basename(big)} exited with ${r.status}` + (r.status ? ': ' + (r.stderr || '').trim() : ''));
}
const readJsonl = (f) => fs.existsSync(f) ? fs.readFileSync(f, 'utf8').split('\n').filter((l) => l).map((l) => JSON.parse(l)) : [];
const flaggedWant = readJsonl(path.join(cliGz, 'annotations.jsonl')).filter((a) => a.flags && a.flags.length).map((a) => a.index);
check(flaggedWant.length === 4, `the native run flagged 4 rows (rows ${flaggedWant.map((i) => i + 1).join(', ')})`);

// Mean luminance (0..255) of a PNG.
function luminance(png) {
  const img = decode(png);
  let sum = 0;
  for (let i = 0; i < img.pixels.length; i += img.bpp) sum += 0.2126 * img.pixels[i] + 0.7152 * img.pixels[i + 1] + 0.0722 * img.pixels[i + 2];
  return sum / (img.width * img.height);
}

(async () => {
  const server = await startServer(dist, isolation !== 'off');
  const origin = server.origin;
  const browser = await launchChromium(playwright);
  const requests = [];
  const consoleErrors = [];
  const status = (page) => page.evaluate(() => window.winnow.status());
  // The load of the file named `name` ended (status().input names the file being read or last read).
  const loaded = (page, name) => waitFor(page, (n) => window.winnow.status().input === n &&
                                         ['done', 'failed', 'cancelled'].includes(window.winnow.status().load), name);
  try {
    const { page } = await newStudioPage(browser, requests, consoleErrors);
    await page.goto(origin + '/index.html');
    let st = await waitFor(page, () => window.winnow && window.winnow.status().load === 'idle');

    // ---- 1. drag and drop the plain file onto the canvas.
    const dt = await page.evaluateHandle(([text, name]) => {
      const d = new DataTransfer();
      d.items.add(new File([text], name, { type: 'application/jsonl' }));
      return d;
    }, [fs.readFileSync(small, 'utf8'), path.basename(small)]);
    await page.dispatchEvent('#canvas', 'dragenter', { dataTransfer: dt });
    await page.dispatchEvent('#canvas', 'dragover', { dataTransfer: dt });
    const cue = await page.evaluate(() => document.body.classList.contains('dragging'));
    check(cue, 'dragging a file over the canvas shows the drop cue (body.dragging)');
    await shot(page, shots, 'drag_over');
    await page.dispatchEvent('#canvas', 'drop', { dataTransfer: dt });
    st = await loaded(page, path.basename(small));
    check(st.load === 'done' && st.rows === rows.length, `the dropped ${path.basename(small)} loaded (${st.rows} rows of ` +
          `${rows.length}, format ${st.format})` + (st.load_error ? ': ' + st.load_error : ''));
    check(!(await page.evaluate(() => document.body.classList.contains('dragging'))), 'the drop cue is gone after the drop');
    const plainRows = st.rows, plainFormat = st.format;

    // ---- 1b. the mouse wheel scrolls the Data table: down by about three rows a notch (100 px in
    // Chromium), back up the same way (Emscripten's GLFW hands over raw pixel deltas, sign flipped;
    // web/studio.js and wasm/studio/main.cpp turn them into notches).
    await page.mouse.move(400, 400);
    await frames(page, 3);
    const topRow = async () => (await page.evaluate(() => window.winnow.status())).data_top_row;
    const top0 = await topRow();
    const wheelTo = async (dy, pred) => {  // one wheel event, then wait a few frames for it to land
      await page.mouse.wheel(0, dy);
      for (let i = 0; i < 20; ++i) {
        await frames(page, 1);
        const t = await topRow();
        if (pred(t)) return t;
      }
      return topRow();
    };
    const top1 = await wheelTo(300, (t) => t > top0);
    check(top0 === 0 && top1 >= 3 && top1 <= 30, `three wheel notches down scrolled the table from row ${top0 + 1} to row ${top1 + 1}`);
    const top2 = await wheelTo(-100, (t) => t < top1);
    check(top2 < top1 && top2 > top0, `one notch up scrolled it back to row ${top2 + 1}`);
    await wheelTo(-1000, (t) => t === 0);

    // ---- 2. light theme from the View menu (and back), on the loaded Data view.
    check(st.theme === 'dark', 'the studio starts in the dark theme (theme: ' + st.theme + ')');
    const darkPng = await shot(page, shots, 'data_dark');
    const setTheme = async (want, itemY) => {
      for (let attempt = 0; attempt < 5 && (await status(page)).theme !== want; ++attempt) {
        await page.mouse.click(110, 12);  // "View" in the menu bar (1400 x 860 layout)
        await frames(page, 3);
        await page.mouse.click(134, itemY);  // "Dark theme" / "Light theme" in that menu
        await frames(page, 3);
      }
      return (await status(page)).theme;
    };
    check(await setTheme('light', 193) === 'light', 'View > Light theme switched the theme (status theme: light)');
    await page.mouse.move(900, 500);  // away from the menu bar
    const lightPng = await shot(page, shots, 'data_light');
    const ld = luminance(darkPng), ll = luminance(lightPng);
    check(ll > ld + 100 && ll > 180, `the light theme is light: mean luminance ${ll.toFixed(1)} vs ${ld.toFixed(1)} in the dark theme`);
    check(await setTheme('dark', 172) === 'dark', 'View > Dark theme switched back');
    await page.mouse.move(900, 500);
    const backPng = await shot(page, shots, 'data_dark_again');
    check(Math.abs(luminance(backPng) - ld) < 15, `back in the dark theme: mean luminance ${luminance(backPng).toFixed(1)}`);

    // ---- 3. the same rows gzip-compressed, through the file input (DecompressionStream).
    await page.setInputFiles('#file-dataset', smallGz);
    st = await loaded(page, path.basename(smallGz));
    check(st.load === 'done' && st.rows === plainRows && st.format === plainFormat,
          `${path.basename(smallGz)} (${fs.statSync(smallGz).size} bytes) loaded through DecompressionStream: ${st.rows} rows, ` +
          `format ${st.format} (plain file: ${plainRows}, ${plainFormat})` + (st.load_error ? ': ' + st.load_error : ''));
    await shot(page, shots, 'data_gz');
    await page.setInputFiles('#file-pipeline', pipelineFile);
    st = await waitFor(page, () => window.winnow.status().pipeline === 'ui-e2e-flag');
    await holdPress(page, 'Control+Enter');
    st = await waitFor(page, () => ['done', 'failed', 'cancelled'].includes(window.winnow.status().run));
    check(st.run === 'done', 'the flag-duplicates pipeline ran on the .gz in the page' + (st.run_error ? ': ' + st.run_error : ''));

    // ---- 4. Review: "Next flagged" twice.
    st = await pressUntil(page, 'Control+4', () => window.winnow.status().tab === 'Review');
    check(st.review.row === 0, 'the review starts at row 1 (row: ' + (st.review.row + 1) + ')');
    const nextFlagged = async (from) => {
      let r = (await status(page)).review;
      for (let attempt = 0; attempt < 5 && r.row === from; ++attempt) {
        await page.mouse.click(415, 107);  // "Next flagged" (review toolbar, 1400 x 860 layout)
        await frames(page, 3);
        r = (await status(page)).review;
      }
      return r;
    };
    let r = await nextFlagged(0);
    check(r.row === flaggedWant[0] && r.flags && r.flags.length === 1 && /dups/.test(r.flags[0]),
          `Next flagged moved to row ${r.row + 1} (want ${flaggedWant[0] + 1}), flagged by ${JSON.stringify(r.flags)}`);
    await shot(page, shots, 'review_flagged_1');
    r = await nextFlagged(r.row);
    check(r.row === flaggedWant[1] && r.flags && r.flags.length === 1 && r.verdict === '',
          `Next flagged again moved to row ${r.row + 1} (want ${flaggedWant[1] + 1}), kept, flagged by ${JSON.stringify(r.flags)}`);
    await shot(page, shots, 'review_flagged_2');

    // The outputs of the .gz run: byte-identical to the native run on the .gz; the kept and
    // rejected rows also to the native run on the plain file (the rest names the input file).
    const webDir = path.join(out, 'web');
    const names = await exportAll(page, webDir);
    compareOutputs(webDir, cliGz, names);
    for (const n of ['kept.jsonl', 'rejected.jsonl']) {
      const a = path.join(webDir, n), b = path.join(cliPlain, n);
      check(fs.existsSync(a) && fs.existsSync(b) && Buffer.compare(fs.readFileSync(a), fs.readFileSync(b)) === 0,
            `${n} of the page's .gz run equals winnow run on the uncompressed file`);
    }

    // ---- 5. Esc cancels a running pipeline.
    await page.setInputFiles('#file-dataset', big);
    st = await loaded(page, path.basename(big));
    check(st.load === 'done' && st.rows === bigRows, `the ${bigRows}-row dataset loaded (${st.rows} rows)`);
    await page.setInputFiles('#file-pipeline', sftDefault);
    st = await waitFor(page, () => window.winnow.status().pipeline === 'sft-default');
    const exportedBefore = st.exported;
    await holdPress(page, 'Control+Enter');
    st = await waitFor(page, () => window.winnow.status().run !== 'idle');
    check(st.run === 'running', 'the sft-default run on ' + bigRows + ' rows is running (run: ' + st.run + ')');
    // A plain screenshot now, checked after the cancel: the non-blank check decodes the PNG, which
    // takes a while, and the Esc should land early in the run.
    const runningPng = await page.screenshot({ path: path.join(shots, 'running.png') });
    await holdPress(page, 'Escape');
    st = await waitFor(page, () => ['done', 'failed', 'cancelled'].includes(window.winnow.status().run));
    check(st.run === 'cancelled', `Esc cancelled the run (run: ${st.run} after ${st.run_seconds.toFixed(2)} s)` +
          (st.run === 'done' ? ': the run finished before the Esc reached it (a larger dataset would help)' : ''));
    const rs = stats(runningPng);
    check(rs.colors > 40 && rs.dominant < 0.97, `screenshot running.png is not blank (${rs.colors} colours)`);
    check(st.outputs.length === 0, 'a cancelled run has no outputs (' + st.outputs.map((o) => o.name).join(', ') + ')');
    check(/cancel/i.test(st.toast), 'the studio says so: "' + st.toast + '"');
    await shot(page, shots, 'cancelled');
    let downloads = 0;
    page.on('download', () => { downloads++; });
    await holdPress(page, 'Control+e');
    await frames(page, 10);
    st = await status(page);
    check(downloads === 0 && st.exported === exportedBefore, `Ctrl+E after the cancel exported nothing (${downloads} downloads, ` +
          `exported ${st.exported} vs ${exportedBefore} before)`);

    // ---- 5b. Outputs larger than one 8 MB part: the flag-duplicates pipeline on the same rows.
    // kept.jsonl is stored in several parts and downloaded as a Blob of one Blob per part; it must
    // equal winnow run's file byte for byte.
    await page.setInputFiles('#file-pipeline', pipelineFile);
    st = await waitFor(page, () => window.winnow.status().pipeline === 'ui-e2e-flag');
    await holdPress(page, 'Control+Enter');
    st = await waitFor(page, () => ['done', 'failed', 'cancelled'].includes(window.winnow.status().run));
    check(st.run === 'done', `the flag-duplicates pipeline ran on the ${bigRows} rows` + (st.run_error ? ': ' + st.run_error : ''));
    const keptOut = st.outputs.find((o) => o.name === 'kept.jsonl');
    check(keptOut && keptOut.bytes > 2 * 8 * 1024 * 1024, `kept.jsonl spans several 8 MB parts (${keptOut ? keptOut.bytes : '-'} bytes)`);
    const bigWebDir = path.join(out, 'web_big');
    compareOutputs(bigWebDir, cliBig, await exportAll(page, bigWebDir));

    // ---- 6. device-pixel ratio 2: a second context, the canvas backing store at twice its CSS size.
    const ctx2 = await browser.newContext({ viewport: { width: 1000, height: 640 }, deviceScaleFactor: 2 });
    ctx2.on('request', (q) => requests.push(q.url()));
    const page2 = await ctx2.newPage();
    page2.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
    page2.on('pageerror', (e) => consoleErrors.push(String(e)));
    await page2.goto(origin + '/index.html');
    await waitFor(page2, () => window.winnow && window.winnow.status().load === 'idle');
    await page2.setInputFiles('#file-dataset', small);
    st = await loaded(page2, path.basename(small));
    check(st.load === 'done' && st.rows === rows.length, `at DPR 2 the dataset loaded (${st.rows} rows)`);
    await frames(page2, 5);
    const c = await page2.evaluate(() => {
      const el = document.getElementById('canvas');
      return { dpr: window.devicePixelRatio, w: el.width, h: el.height, cw: el.clientWidth, ch: el.clientHeight };
    });
    check(c.dpr === 2, 'devicePixelRatio is ' + c.dpr);
    check(c.cw > 0 && Math.abs(c.w - 2 * c.cw) <= 1 && Math.abs(c.h - 2 * c.ch) <= 1,
          `the canvas backing store is ${c.w} x ${c.h} for ${c.cw} x ${c.ch} CSS pixels (2x)`);
    const hiPng = await shot(page2, shots, 'dpr2');
    const hs = stats(hiPng);
    check(hs.width === 2000 && hs.height === 1280, `the DPR 2 screenshot is ${hs.width} x ${hs.height} device pixels`);
    await ctx2.close();

    // ---- 7. CJK text (alpaca_zh_demo.json): the characters DejaVu lacks are noted at load, the page
    // fetches the fallback font from its own origin, and the UI font's atlas then draws them.
    const zh = path.join(dataDir, 'llamafactory', 'alpaca_zh_demo.json');
    check(fs.existsSync(zh), 'the Chinese demo dataset is present (' + zh + ')');
    await page.setInputFiles('#file-dataset', zh);
    st = await loaded(page, 'alpaca_zh_demo.json');
    check(st.load === 'done' && st.rows > 0, `alpaca_zh_demo.json loaded (${st.rows} rows)`);
    await page.waitForFunction(() => { const g = window.winnow.status().glyphs; return g.font === 'missing' || (g.font === 'ready' && g.baked > 0); },
                               null, { timeout: 60000, polling: 100 }).catch(() => {});
    st = await page.evaluate(() => window.winnow.status());
    const g = st.glyphs;
    check(g.font === 'ready', 'the fallback font was fetched (font: ' + g.font + ')');
    check(g.extra > 1000 && g.baked >= 0.95 * g.extra, `${g.extra} characters outside DejaVu noted, ${g.baked} of them drawn by the ` +
          `UI font (atlas ${g.atlas[0]} x ${g.atlas[1]})`);
    check(requests.some((u) => u === origin + '/fonts/DroidSansFallbackFull.ttf'), 'the font came from the page\'s own origin (fonts/)');
    await shot(page, shots, 'data_cjk');

    check(consoleErrors.length === 0, 'no errors in the page console' + (consoleErrors.length ? ': ' + consoleErrors.join(' | ') : ''));
  } catch (e) {
    check(false, 'unexpected: ' + (e && e.stack ? e.stack : e));
  } finally {
    await browser.close();
    server.proc.kill();
  }
  checkSameOrigin(requests, origin);
  finish(out);
})();
