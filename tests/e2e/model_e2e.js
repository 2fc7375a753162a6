// Browser end-to-end test of the model steps: the web studio in headless Chromium runs score.model and
// dedup.semantic with onnxruntime-web over a tiny random-weight BERT-style model that torch exports
// now (tests/models/export_tiny_bert.py), and its outputs must equal `winnow run` natively (the
// native run is itself checked against torch by test_pipeline's ModelSteps tests) byte for byte;
// the class probabilities must equal torch's. Every request must stay on the page's origin.
//   node model_e2e.js --dist DIR --cli NATIVE_WINNOW --out DIR
// Exit 77 (skipped, with a message) without chromium, playwright-core, torch or the native ORT.
'use strict';
const fs = require('fs');
const path = require('path');
const os = require('os');
const { spawnSync } = require('child_process');
const { root, arg, check, skip, finish, requirePlaywright, startServer, launchChromium, holdPress, waitFor,
        checkSameOrigin, newStudioPage, exportAll, compareOutputs } = require('./e2e_lib');

const dist = arg('dist');
const cli = arg('cli') && path.resolve(arg('cli'));  // absolute: the native run's cwd is the models folder
const out = arg('out', fs.mkdtempSync(path.join(os.tmpdir(), 'winnow-model-e2e-')));
const isolation = arg('isolation', 'on');

if (!dist || !fs.existsSync(path.join(dist, 'winnow_studio.wasm'))) {
  console.error('no built studio in ' + dist + ' (build the studio_dist target)');
  process.exit(1);
}
if (!fs.existsSync(path.join(dist, 'ort.wasm.min.js'))) skip('onnxruntime-web is not in ' + dist + ' (npm install, then rebuild studio_dist)');
const playwright = requirePlaywright();
if (!cli || !fs.existsSync(cli)) skip('the native CLI ' + cli + ' is not built (needed for the comparison)');

fs.mkdirSync(out, { recursive: true });
const models = path.join(out, 'models');
if (!fs.existsSync(path.join(models, 'reference.json'))) {
  const r = spawnSync('/usr/bin/python3', [path.join(root, 'tests', 'models', 'export_tiny_bert.py'), models], { encoding: 'utf8' });
  if (r.status !== 0) skip('exporting the tiny model with torch failed (python3-torch / python3-onnx?): ' + (r.stderr || '').slice(-400));
}
const ref = JSON.parse(fs.readFileSync(path.join(models, 'reference.json'), 'utf8'));
const refCls = JSON.parse(fs.readFileSync(path.join(models, 'reference_cls.json'), 'utf8'));

// The dataset: the reference texts as chats, then a copy of each with different case (the same
// tokens for the uncased vocabulary: semantic duplicates).
const rows = [];
for (const t of ref.texts) rows.push({ messages: [{ role: 'user', content: t }, { role: 'assistant', content: 'ok' }] });
for (const t of ref.texts) rows.push({ messages: [{ role: 'user', content: t.toUpperCase() }, { role: 'assistant', content: 'ok' }] });
const data = path.join(out, 'chats.jsonl');
fs.writeFileSync(data, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
const pipeline = {
  version: 1, name: 'model-e2e', seed: 11,
  steps: [
    { id: 'cls', type: 'score.model', params: { model: 'classifier.onnx', tokenizer: 'vocab.txt', field: 'user', batch_size: 4 } },
    { id: 'sem', type: 'dedup.semantic', params: { model: 'tiny_bert.onnx', tokenizer: 'vocab.txt', view: 'user', threshold: 0.999,
                                                   keep: 'highest_score', score_from: 'cls', batch_size: 5 } },
  ],
};
const pipelineFile = path.join(out, 'pipeline.json');
fs.writeFileSync(pipelineFile, JSON.stringify(pipeline, null, 2));

// Native first: if ONNX Runtime is missing here there is nothing to compare with.
const cliOut = path.join(out, 'cli');
fs.rmSync(cliOut, { recursive: true, force: true });
const nat = spawnSync(cli, ['run', pipelineFile, data, '-o', cliOut], { encoding: 'utf8', cwd: models });
if (nat.status !== 0 && nat.status !== 1 && /model_runtime_missing|ONNX Runtime/.test(nat.stderr)) skip('native ONNX Runtime missing: ' + nat.stderr.trim());
check(nat.status === 0 || nat.status === 1, `winnow run exited with ${nat.status} ${(nat.stderr || '').trim()}`);

(async () => {
  fs.mkdirSync(path.join(out, 'web'), { recursive: true });
  const server = await startServer(dist, isolation !== 'off');
  const origin = server.origin;
  const browser = await launchChromium(playwright);
  const requests = [];
  try {
    const consoleErrors = [];
    const { page } = await newStudioPage(browser, requests, consoleErrors);
    page.on('response', (r) => { if (r.status() >= 400) consoleErrors.push(`HTTP ${r.status()} for ${r.url()}`); });
    await page.goto(origin + '/index.html');
    let st = await waitFor(page, () => window.winnow && window.winnow.status().load === 'idle');
    const runtime = await page.evaluate(() => window.winnowModels.describe());
    check(/onnxruntime-web/.test(runtime), 'the page has ONNX Runtime: ' + runtime);

    await page.setInputFiles('#file-model', ['tiny_bert.onnx', 'classifier.onnx', 'vocab.txt'].map((f) => path.join(models, f)));
    await page.waitForFunction(() => window.winnowModels.filesAdded >= 3, null, { timeout: 0, polling: 100 });
    await page.setInputFiles('#file-pipeline', pipelineFile);
    st = await waitFor(page, () => window.winnow.status().pipeline === 'model-e2e');
    await page.setInputFiles('#file-dataset', data);
    st = await waitFor(page, () => ['done', 'failed'].includes(window.winnow.status().load));
    check(st.load === 'done' && st.rows === rows.length, `dataset loaded (${st.rows} rows)`);

    const t0 = Date.now();
    await holdPress(page, 'Control+Enter');
    st = await waitFor(page, () => ['done', 'failed', 'cancelled'].includes(window.winnow.status().run));
    check(st.run === 'done', `the model pipeline ran in the page (${Date.now() - t0} ms)` + (st.run_error ? ': ' + st.run_error : ''));
    // The Report view's embedding map: drawn by the WebGL2 shader renderer, with coloured points.
    for (let i = 0; i < 20 && !(await page.evaluate(() => window.winnow.status().tab === 'Report')); ++i) await holdPress(page, 'Control+3');
    // A generous bound: a map is drawn within a frame of the Report view showing.
    await page.waitForFunction(() => { const m = window.winnow.status().map; return m && m.rect; }, null, { timeout: 120000, polling: 100 })
      .catch(async () => { await page.screenshot({ path: path.join(out, 'no_map.png') }); });
    await page.waitForTimeout(500);
    st = await page.evaluate(() => window.winnow.status());
    const shot = await page.screenshot({ path: path.join(out, 'report.png') });
    const map = st.map || {};
    check(map.renderer === 'webgl2' && !map.error, `the embedding map is drawn by the shader renderer (${map.renderer}${map.error ? ': ' + map.error : ''})`);
    check(map.points === rows.length, `the map has ${map.points} points (want ${rows.length})`);
    if (map.rect) {
      const dpr = await page.evaluate(() => window.devicePixelRatio || 1);
      // The status rect is in canvas pixels; the screenshot is in CSS pixels times the DPR (1 here).
      const canvas = await page.evaluate(() => { const r = document.querySelector('canvas').getBoundingClientRect(); return [r.left, r.top]; });
      const rect = [canvas[0] * dpr + map.rect[0], canvas[1] * dpr + map.rect[1], map.rect[2], map.rect[3]];
      const rs = require('./png_stats').regionStats(shot, rect);
      // 8 distinct texts (each twice, at the same place): 8 discs of radius 5 px, in 8 cluster colours.
      check(rs.marked >= 8 * 40 && rs.hues >= 4, `the map region is not blank: ${JSON.stringify(rs)}`);
    }

    const expected = await exportAll(page, path.join(out, 'web'));
    compareOutputs(path.join(out, 'web'), cliOut, expected);
    // The page's scores against torch's probabilities (annotations of the kept rows carry them).
    const report = JSON.parse(fs.readFileSync(path.join(out, 'web', 'report.json'), 'utf8'));
    const steps = report.steps || [];
    const cls = steps.find((s) => s.id === 'cls');
    const sem = steps.find((s) => s.id === 'sem');
    let mean = 0;
    for (const p of refCls.probs) mean += Math.round(p[1] * 10000) / 10000;
    mean = (2 * mean) / (2 * refCls.probs.length);  // each text twice (upper case tokenises the same)
    check(cls && Math.abs(cls.report.mean - mean) < 2e-4, `score.model mean in the page ${cls && cls.report.mean} = torch's ${mean.toFixed(4)}`);
    check(sem && sem.report.clusters === ref.texts.length && sem.report.duplicates === ref.texts.length,
          `dedup.semantic found ${sem && sem.report.clusters} clusters, ${sem && sem.report.duplicates} duplicates (want ${ref.texts.length} each)`);
    check(sem && sem.report.map && sem.report.map.points.length === rows.length, 'the report has the 2-D map');
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
