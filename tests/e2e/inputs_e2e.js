// Browser end-to-end test of two ways data reaches the web studio besides the dataset picker:
//   - the clipboard: text put on the system clipboard is pasted with Ctrl+V into the search box
//     (Emscripten's GLFW cannot read the clipboard; web/studio.js hands the paste event's text to
//     the studio before ImGui handles the key), and text selected there is copied out with Ctrl+C;
//   - decontaminate's reference files: a benchmark test split (../shared/data/gsm8k/test.jsonl)
//     added through the Pipeline tab's "Reference files..." input, a dataset of GSM8K train rows
//     with some test questions mixed in, run in the page; the contaminated rows must be rejected
//     with the reference's name and line, and every output must equal `winnow run` natively on the
//     same files byte for byte. Every request must stay on the page's origin.
//   node tests/e2e/inputs_e2e.js --dist DIR --cli NATIVE_WINNOW --data-dir SHARED_DATA [--out DIR]
//                                [--isolation on|off]
// Exit codes: 0 pass, 1 fail, 77 skipped (a prerequisite is missing; the message says which).
'use strict';
const fs = require('fs');
const path = require('path');
const os = require('os');
const { spawnSync } = require('child_process');
const { arg, check, skip, finish, requirePlaywright, startServer, launchChromium, holdPress, waitFor, pressUntil,
        frames, shot, checkSameOrigin, newStudioPage, exportAll, compareOutputs } = require('./e2e_lib');

const dist = arg('dist');
const cli = arg('cli') && path.resolve(arg('cli'));  // absolute: the native run's cwd is the references folder
const dataDir = arg('data-dir');
const out = arg('out', fs.mkdtempSync(path.join(os.tmpdir(), 'winnow-inputs-e2e-')));
const isolation = arg('isolation', 'on');

if (!dist || !fs.existsSync(path.join(dist, 'index.html')) || !fs.existsSync(path.join(dist, 'winnow_studio.wasm'))) {
  console.error('no built studio in ' + dist + ' (build the studio_dist target)');
  process.exit(1);
}
const testSplit = dataDir && path.join(dataDir, 'gsm8k', 'test.jsonl');
const trainSplit = dataDir && path.join(dataDir, 'gsm8k', 'train.jsonl');
if (!testSplit || !fs.existsSync(testSplit) || !fs.existsSync(trainSplit)) {
  skip('../shared/data/gsm8k is absent (the shared datasets are not on this machine)');
}
if (!cli || !fs.existsSync(cli)) {
  console.error('the native CLI ' + cli + ' is not built (needed for the byte-for-byte comparison)');
  process.exit(1);
}
const playwright = requirePlaywright();

// The files: the reference under its own name in refs/ (the page keeps references by file name,
// so the pipeline names it "test.jsonl" and the native run starts in refs/), and an Alpaca dataset
// of 60 train rows with every sixth row replaced by a test question: 10 contaminated rows.
fs.rmSync(out, { recursive: true, force: true });
const refs = path.join(out, 'refs');
fs.mkdirSync(refs, { recursive: true });
fs.mkdirSync(path.join(out, 'web'), { recursive: true });
fs.mkdirSync(path.join(out, 'screenshots'), { recursive: true });
const ref = path.join(refs, 'test.jsonl');
fs.copyFileSync(testSplit, ref);
const readRows = (f, n) => fs.readFileSync(f, 'utf8').split('\n').filter((l) => l.trim()).slice(0, n).map((l) => JSON.parse(l));
const train = readRows(trainSplit, 60), test = readRows(testSplit, 10);
const rows = [], contaminated = [];
for (let i = 0; i < 60; ++i) {
  const src = i % 6 === 5 ? test[(i - 5) / 6] : train[i];
  if (i % 6 === 5) contaminated.push(i + 1);
  rows.push({ instruction: src.question, input: '', output: src.answer });
}
const data = path.join(out, 'gsm8k_mixed.json');
fs.writeFileSync(data, JSON.stringify(rows, null, 1) + '\n');
const pipeline = {
  version: 1, name: 'inputs-e2e', seed: 5,
  steps: [
    { id: 'validate', type: 'validate', params: {} },
    { id: 'decon', type: 'decontaminate', params: { references: ['test.jsonl'] } },
  ],
};
const pipelineFile = path.join(out, 'pipeline.json');
fs.writeFileSync(pipelineFile, JSON.stringify(pipeline, null, 2));

// What is pasted: a phrase that occurs in some rows, and how many rows hold it (the search is a
// case-insensitive substring over every text field by default).
const phrase = 'eggs per day';
const holding = rows.filter((r) => (r.instruction + '\n' + r.output).toLowerCase().includes(phrase)).length;

(async () => {
  const server = await startServer(dist, isolation !== 'off');
  const origin = server.origin;
  const browser = await launchChromium(playwright);
  const requests = [];
  try {
    const consoleErrors = [];
    const { context, page } = await newStudioPage(browser, requests, consoleErrors);
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin });
    let pasteEvents = 0;
    await page.exposeFunction('winnowTestPasteSeen', () => { pasteEvents++; });
    await page.addInitScript(() => window.addEventListener('paste', () => window.winnowTestPasteSeen(), true));

    await page.goto(origin + '/index.html');
    let st = await waitFor(page, () => window.winnow && window.winnow.status().load === 'idle');
    await page.setInputFiles('#file-dataset', data);
    st = await waitFor(page, () => ['done', 'failed'].includes(window.winnow.status().load));
    check(st.load === 'done' && st.rows === rows.length, `dataset loaded (${st.rows} rows, format ${st.format})`);

    // ---- clipboard: paste into the search box.
    check(holding > 0, `"${phrase}" occurs in ${holding} of the rows`);
    await page.evaluate((t) => navigator.clipboard.writeText(t), phrase);
    await page.click('#canvas', { position: { x: 700, y: 400 } });  // the canvas has the keyboard focus
    // Ctrl+F focuses the search box, Ctrl+A selects what it holds, Ctrl+V replaces it with the
    // clipboard. A loaded page may take the keys a few frames late: bounded retries, then a failure.
    const pasted = () => page.waitForFunction((p) => window.winnow.status().search_query === p && window.winnow.status().search_done,
                                              phrase, { timeout: 5000, polling: 100 }).then(() => true, () => false);
    let ok = false, attempts = 0;
    for (; attempts < 10 && !ok; ++attempts) {
      await holdPress(page, 'Control+f');
      await frames(page, 2);
      await holdPress(page, 'Control+a');
      await holdPress(page, 'Control+v');
      ok = await pasted();
    }
    st = await page.evaluate(() => window.winnow.status());
    check(pasteEvents > 0, `Ctrl+V raised ${pasteEvents} paste event(s) in the page`);
    check(st.search_query === phrase, `the clipboard text was pasted into the search box (query: "${st.search_query}", ` +
          `${attempts} attempt(s))`);
    check(st.search_matches === holding, `the pasted search matched ${st.search_matches} rows (want ${holding})`);
    await shot(page, path.join(out, 'screenshots'), 'search_pasted');

    // ---- clipboard: copy out of the search box (select all, Ctrl+C) reaches the system clipboard.
    await page.evaluate(() => navigator.clipboard.writeText('(nothing copied)'));
    await holdPress(page, 'Control+a');
    await holdPress(page, 'Control+c');
    let copied = '';
    for (let i = 0; i < 20 && copied !== phrase; ++i) {
      await frames(page, 2);
      copied = await page.evaluate(() => navigator.clipboard.readText());
    }
    check(copied === phrase, `Ctrl+C in the search box put the query on the clipboard ("${copied}")`);
    await holdPress(page, 'Escape');
    // Clear the search so the run and the table see every row.
    let cleared = false;
    for (let attempt = 0; attempt < 10 && !cleared; ++attempt) {
      await holdPress(page, 'Control+f');
      await frames(page, 2);
      await holdPress(page, 'Control+a');
      await holdPress(page, 'Backspace');
      cleared = await page.waitForFunction(() => window.winnow.status().search_query === '', null, { timeout: 5000, polling: 100 })
        .then(() => true, () => false);
    }
    check(cleared, 'the search box was cleared (Ctrl+A, Backspace)');
    await holdPress(page, 'Escape');

    // ---- reference files for decontaminate.
    await page.setInputFiles('#file-pipeline', pipelineFile);
    st = await waitFor(page, () => window.winnow.status().pipeline === 'inputs-e2e');
    st = await pressUntil(page, 'Control+2', () => window.winnow.status().tab === 'Pipeline');
    // The Pipeline tab's "Reference files..." button opens the page's file chooser (at a fixed
    // place in the 1400 x 860 layout: right of "Model files...").
    const chooser = page.waitForEvent('filechooser', { timeout: 60000 }).catch(() => null);
    await page.mouse.click(532, 107);
    const fc = await chooser;
    check(fc !== null, 'the "Reference files..." button opened a file chooser');
    if (fc) await fc.setFiles(ref);
    else await page.setInputFiles('#file-reference', ref);  // go on so the rest is still checked
    await page.waitForFunction(() => window.winnowModels && window.winnowModels.filesAdded >= 1, null, { timeout: 0, polling: 100 });
    await shot(page, path.join(out, 'screenshots'), 'pipeline_references');
    await holdPress(page, 'Control+Enter');
    st = await waitFor(page, () => ['done', 'failed', 'cancelled'].includes(window.winnow.status().run));
    check(st.run === 'done', 'the decontaminate pipeline ran in the page' + (st.run_error ? ': ' + st.run_error : ''));
    await shot(page, path.join(out, 'screenshots'), 'report_decontaminate');

    const expected = await exportAll(page, path.join(out, 'web'));

    const rejected = fs.readFileSync(path.join(out, 'web', 'rejected.jsonl'), 'utf8').split('\n').filter((l) => l).map((l) => JSON.parse(l));
    // Each injected test question (0-based k: line k + 1 of test.jsonl) is rejected naming its line.
    // GSM8K's own train split overlaps its test split here and there (train row 21 shares a 13-gram
    // with test line 633), so other rows may be rejected too, but only as contaminated by test.jsonl.
    const injected = contaminated.map((rowNo, k) => ({ index: rowNo - 1, ref: 'test.jsonl:' + (k + 1) + ':' }));
    const named = injected.filter((w) => rejected.some((r) => r.index === w.index && r.reason === 'contaminated' &&
                                                          String(r.detail).includes(w.ref)));
    check(named.length === injected.length, `${named.length} of the ${injected.length} test questions rejected, each naming its ` +
          `line of the reference (${injected.slice(0, 2).map((w) => w.ref.slice(0, -1)).join(', ')}, ...)`);
    const others = rejected.filter((r) => !injected.some((w) => w.index === r.index));
    check(others.every((r) => r.reason === 'contaminated' && /test\.jsonl:\d+/.test(String(r.detail))),
          `${rejected.length} rows rejected in all; the ${others.length} other(s) overlap GSM8K test lines too` +
          (others.length ? ' (' + others.map((r) => 'row ' + (r.index + 1) + ': ' + r.detail).join('; ') + ')' : ''));
    check(rejected.length <= injected.length + 3, 'no more than a few genuine train/test overlaps among 50 train rows');

    const cliOut = path.join(out, 'cli');
    const r = spawnSync(cli, ['run', pipelineFile, data, '-o', cliOut], { encoding: 'utf8', cwd: refs });
    check(r.status === 0 || r.status === 1, `winnow run exited with ${r.status} ${(r.stderr || '').trim()}`);
    compareOutputs(path.join(out, 'web'), cliOut, expected);
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
