// Browser end-to-end test of LLM synthesis in the web studio (headless Debian Chromium through
// playwright-core): the page talks to tests/synth/fake_provider.py on another port of 127.0.0.1
// (cross-origin, with CORS preflights as a real provider answers them). The key is typed into the
// panel's password field; the panel's buttons are driven through window.winnow.synth (the same code
// the buttons call). It checks:
//   - a dry run shows the estimate and the prompts and sends nothing;
//   - a synth.qa run generates well-formed rows with provenance; 429 + Retry-After, 500, a timeout
//     and a malformed body are retried; bad JSON and the wrong schema are repaired with one request;
//     JSON that stays bad is rejected with its raw reply kept in the report;
//   - the fake received the key in a header (it answers 401 without it), yet the key string is in
//     no downloaded file, the saved pipeline, the share link, any URL or the console;
//   - a second run, and a run after reloading the page (IndexedDB), make zero requests;
//   - Cancel stops the requests (the count stops growing) and keeps what finished: the re-run is
//     served those replies from the cache and sends only the rest;
//   - every request went to the page's origin or the fake's URL.
//   node tests/e2e/synth_e2e.js --dist DIR [--out DIR]
// Exit codes: 0 pass, 1 fail, 77 skipped (chromium or playwright-core missing; the message says which).
'use strict';
const fs = require('fs');
const path = require('path');
const os = require('os');
const lib = require('./e2e_lib');
const { root, arg, check, finish, requirePlaywright, startChild, launchChromium } = lib;

const dist = arg('dist', path.join(root, 'dist'));
const out = arg('out', fs.mkdtempSync(path.join(os.tmpdir(), 'winnow-synth-e2e-')));
const fakeScript = path.join(root, 'tests', 'synth', 'fake_provider.py');
const KEY = 'sk-winnow-e2e-RECOGNISABLE-7f3a9c41';

if (!fs.existsSync(path.join(dist, 'winnow_studio.wasm')) || !fs.existsSync(path.join(dist, 'http_client.js'))) {
  console.error('no built studio in ' + dist + ' (build the studio_dist target)');
  process.exit(1);
}
const playwright = requirePlaywright();

(async () => {
  const webDir = path.join(out, 'web');
  fs.rmSync(webDir, { recursive: true, force: true });
  fs.mkdirSync(webDir, { recursive: true });
  const fake = await startChild('/usr/bin/python3', [fakeScript, '0'], { FAKE_EXPECT_KEY: KEY }, /PORT (\d+)/);
  const fakeUrl = 'http://127.0.0.1:' + fake.match[1];
  const server = await lib.startServer(dist);
  const origin = server.origin;
  const count = async () => (await (await fetch(fakeUrl + '/count')).json());

  const browser = await launchChromium(playwright);
  const requests = [];
  const consoleText = [];
  const urls = [];
  try {
    const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1400, height: 900 } });
    context.on('request', (r) => requests.push(r.method() + ' ' + r.url()));
    const page = await context.newPage();
    page.on('console', (m) => consoleText.push(m.type() + ': ' + m.text()));
    page.on('pageerror', (e) => consoleText.push('pageerror: ' + String(e)));
    page.on('framenavigated', (f) => urls.push(f.url()));

    // Downloads go into the folder named by `saveTo`; `expectDownloads(n)` waits for n of them.
    let saveTo = webDir;
    let pending = null;
    page.on('download', async (d) => {
      const file = path.join(saveTo, d.suggestedFilename());
      await d.saveAs(file);
      if (pending) {
        pending.files.push(file);
        if (pending.files.length >= pending.n) pending.resolve(pending.files);
      }
    });
    const expectDownloads = (n, dir) => {
      saveTo = dir;
      fs.mkdirSync(dir, { recursive: true });
      return new Promise((resolve) => { pending = { n, files: [], resolve }; });
    };

    const status = () => page.evaluate(() => window.winnow.status());
    const synth = (cmd) => page.evaluate((c) => window.winnow.synth(c), cmd);
    const waitFor = async (pred, arg) => {
      await page.waitForFunction(pred, arg, { timeout: 0, polling: 100 });
      return status();
    };
    const holdPress = (combo) => lib.holdPress(page, combo);
    const openPage = async () => {
      await page.goto(origin + '/index.html');
      await waitFor(() => window.winnow && window.winnow.status().load === 'idle');
      // The reply cache is read back from IndexedDB when the runtime starts.
      await page.evaluate(() => window.winnowHttp.cacheLoaded);
    };
    const typeKey = async () => {
      check((await synth({ cmd: 'focus_key' })).ok, 'the key field takes the focus');
      await page.waitForTimeout(300);
      // One character per frame: the canvas takes about one character per frame, and a fixed delay
      // dropped characters when the machine was loaded (a wrong key: every call then got a 401).
      // After each character, wait until the studio has drawn two more frames.
      await lib.typeSlowly(page, KEY);
      await page.waitForTimeout(300);
      const st = await status();
      check(st.synth.key_set === true, 'the key was typed into the password field');
    };
    const finishedRuns = async (n) => waitFor((k) => {
      const s = window.winnow.status().synth;
      return s.run_state !== 'running' && s.runs + (s.run_state === 'failed' || s.run_state === 'cancelled' ? 1000 : 0) >= k;
    }, n);

    await openPage();
    await typeKey();

    // ---- 1. configure, dry run: the estimate and the prompts, nothing sent ----
    const topics = ['tides', 'rivers [[429]]', 'bread [[500]]', 'clocks [[timeout]]', 'maps [[malformed]]',
                    'bees [[bad-json]]', 'owls [[wrong-schema]]', 'ghosts [[bad-json-always]]'];
    const config = {
      cmd: 'configure', provider: 'openai', base_url: fakeUrl + '/v1', model: 'gpt-4o-mini', recipe: 'synth.qa',
      concurrency: 4, seed: 7,
      params: { topics, per_topic: 2, retry_base_ms: 200, max_retries: 3, timeout_s: 2 },
    };
    let r = await synth(config);
    check(r.ok, 'the panel accepts the configuration' + (r.message ? ': ' + r.message : ''));
    check(!(await synth({ cmd: 'configure', api_key: KEY })).ok, 'a key passed in a command is refused');
    r = await synth({ cmd: 'dry_run' });
    check(r.ok, 'dry run started');
    let st = await waitFor(() => window.winnow.status().synth.previews >= 1 || window.winnow.status().synth.preview_state === 'failed');
    const pre = st.synth.preview_report;
    check(st.synth.preview_state === 'done', 'the dry run finished' + (st.synth.preview_error ? ': ' + st.synth.preview_error : ''));
    check(pre.estimate && pre.estimate.calls === 16, `the estimate counts 16 calls (${pre.estimate && pre.estimate.calls})`);
    check(pre.estimate && pre.estimate.input_tokens > 0 && pre.estimate.output_tokens_max === 16 * 1024, 'the estimate has tokens');
    check(/^at most \$\d+\.\d{4}$/.test(st.synth.estimate_cost || ''), 'the estimate is priced from the table: ' + st.synth.estimate_cost);
    check(pre.prompts === 16, `the dry run shows the 16 prompts (${pre.prompts})`);
    let c = await count();
    check(c.requests === 0, `the dry run sent nothing (${c.requests} requests at the fake)`);
    await page.waitForTimeout(400);
    await page.screenshot({ path: path.join(out, 'synth_dry_run.png') });

    // ---- 2. the run ----
    r = await synth({ cmd: 'run' });
    check(r.ok, 'run started' + (r.ok ? '' : ': ' + r.message));
    st = await finishedRuns(1);
    const rep = st.synth.run_report;
    check(st.synth.run_state === 'done', 'the run finished' + (st.synth.run_error ? ': ' + st.synth.run_error : ''));
    check(rep.calls === 16 && rep.generated === 14 && rep.rejected === 2, `14 of 16 calls became rows, 2 rejected (${rep.generated}, ${rep.rejected})`);
    check(rep.retries === 8, `429, 500, timeout and malformed body retried once per call (${rep.retries} retries)`);
    check(rep.repairs === 6, `one repair request for each bad-json, wrong-schema and bad-json-always call (${rep.repairs})`);
    c = await count();
    check(c.requests === rep.requests && c.requests === 16 + 8 + 6, `the fake saw ${c.requests} requests, the report says ${rep.requests} (want 30)`);
    check(c.auth_seen === c.requests, 'every request carried the key in a header (the fake answers 401 without it)');
    await page.waitForTimeout(400);
    await page.screenshot({ path: path.join(out, 'synth_run.png') });

    let got = expectDownloads(5, path.join(webDir, 'run1'));
    r = await synth({ cmd: 'download' });
    const run1 = await got;
    const names = run1.map((f) => path.basename(f)).sort();
    check(names.join(',') === 'synth-README.md,synth-annotations.jsonl,synth-kept.jsonl,synth-rejected.jsonl,synth-report.json', 'downloaded ' + names.join(', '));
    const keptText = fs.readFileSync(path.join(webDir, 'run1', 'synth-kept.jsonl'), 'utf8');
    const rows = keptText.split('\n').filter((l) => l.length).map((l) => JSON.parse(l));
    check(rows.length === 14, `kept.jsonl has 14 rows (${rows.length})`);
    const wellFormed = rows.every((x) => Array.isArray(x.messages) && x.messages.length === 2 && x.messages[0].role === 'user' &&
      x.messages[1].role === 'assistant' && x.messages[0].content.length > 0 && x.messages[1].content.length > 0 &&
      x.synth && x.synth.recipe === 'synth.qa' && x.synth.model === 'gpt-4o-mini' && /^[0-9a-f]{16}$/.test(x.synth.prompt_hash));
    check(wellFormed, 'every row is a user / assistant pair with provenance (recipe, model, prompt hash)');
    check(rows.filter((x) => x.synth.repaired).length === 4, 'the 4 repaired rows say so in their provenance');
    const report = JSON.parse(fs.readFileSync(path.join(webDir, 'run1', 'synth-report.json'), 'utf8'));
    const srep = report.steps[0].report;
    const rejected = srep.rejected_replies || [];
    check(rejected.length === 2 && rejected.every((x) => x.reason === 'bad_json' && /Here is what you asked for/.test(x.reply) && x.first_reply),
          'the 2 calls whose JSON stayed bad are rejected with their raw replies kept');
    check(srep.usage_total && srep.usage_total.input_tokens > 0, 'the report has the token usage');

    // ---- 3. a second run is served from the cache ----
    const before = await count();
    r = await synth({ cmd: 'run' });
    st = await finishedRuns(2);
    c = await count();
    check(st.synth.run_state === 'done' && c.requests === before.requests, `the second run made zero requests (${c.requests - before.requests})`);
    check(st.synth.run_report.requests === 0 && st.synth.run_report.cache_hits > 0,
          `the report agrees: 0 requests, ${st.synth.run_report.cache_hits} cache hits`);
    got = expectDownloads(5, path.join(webDir, 'run2'));
    await synth({ cmd: 'download' });
    await got;
    check(fs.readFileSync(path.join(webDir, 'run2', 'synth-kept.jsonl'), 'utf8') === keptText, 'the cached run wrote the same rows');

    // ---- 4. the rows become the dataset; the studio cleans and exports them ----
    r = await synth({ cmd: 'use' });
    st = await waitFor(() => ['done', 'failed'].includes(window.winnow.status().load));
    check(st.load === 'done' && st.rows === 14, `the generated rows are the dataset (${st.rows} rows, ${st.format})`);
    await holdPress('Control+Enter');
    st = await waitFor(() => ['done', 'failed', 'cancelled'].includes(window.winnow.status().run));
    check(st.run === 'done', 'the sft-default pipeline ran over the generated rows' + (st.run_error ? ': ' + st.run_error : ''));
    got = expectDownloads(st.outputs.length, path.join(webDir, 'clean'));
    for (let i = 0; i < 20 && (await status()).tab !== 'Export'; ++i) await holdPress('Control+5');
    await holdPress('Control+e');
    const clean = await got;
    check(clean.some((f) => path.basename(f) === 'kept.jsonl'), 'the cleaned outputs were exported: ' + clean.map((f) => path.basename(f)).join(', '));

    // ---- 5. the step joins the pipeline: saved and shared without the key ----
    r = await synth({ cmd: 'add_to_pipeline' });
    check(r.ok, 'the synth step was added to the pipeline');
    got = expectDownloads(1, path.join(webDir, 'pipeline'));
    await synth({ cmd: 'save_pipeline' });
    const [pipeFile] = await got;
    const pipe = JSON.parse(fs.readFileSync(pipeFile, 'utf8'));
    check(pipe.steps[0].type === 'synth.qa' && pipe.steps[0].params.base_url === fakeUrl + '/v1', 'the saved pipeline starts with the synth.qa step');
    r = await synth({ cmd: 'share' });
    await page.waitForTimeout(300);
    const pageUrl = page.url();
    urls.push(pageUrl, r.message);
    const frag = pageUrl.split('#pipeline=')[1] || '';
    const shared = Buffer.from(frag.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('utf8');
    check(/"synth\.qa"/.test(shared), 'the share link carries the pipeline with the synth step');
    check(!shared.includes(KEY) && !pageUrl.includes(KEY), 'the share link has no key');

    // ---- 6. Cancel stops the requests and keeps what finished ----
    const slowTopics = [];
    for (let i = 0; i < 20; ++i) slowTopics.push('slow topic ' + i + ' [[slow]]');
    r = await synth({ cmd: 'configure', recipe: 'synth.qa', concurrency: 2, params: { topics: slowTopics, per_topic: 1 } });
    check(r.ok, 'configured 20 slow calls');
    const c0 = await count();
    await synth({ cmd: 'run' });
    await waitFor(() => (window.winnow.status().synth.run_report.succeeded || 0) >= 4);
    await page.screenshot({ path: path.join(out, 'synth_running.png') });
    r = await synth({ cmd: 'cancel' });
    check(r.ok, 'cancel accepted');
    st = await waitFor(() => window.winnow.status().synth.run_state !== 'running');
    const c1 = await count();
    check(st.synth.run_state === 'cancelled', 'the run ended as cancelled');
    const finished = st.synth.run_report.succeeded;
    check(finished >= 4 && finished < 20, `${finished} of 20 calls had finished`);
    await page.waitForTimeout(1500);
    const c2 = await count();
    // Requests the fake received for this run, 1.5 s after the cancel: the finished calls and at most
    // the 2 that were in flight (concurrency 2) — none of the queued calls was started.
    check(c2.requests - c0.requests <= finished + 2,
          `no queued call was sent after the cancel (${c2.requests - c0.requests} requests for ${finished} finished calls)`);
    check(c2.requests - c1.requests <= 2, `nothing new arrived after the run stopped (${c2.requests - c1.requests})`);
    await synth({ cmd: 'run' });
    st = await finishedRuns(3);
    const c3 = await count();
    const rr = st.synth.run_report;
    check(st.synth.run_state === 'done' && rr.generated === 20, `the re-run completed all 20 rows (${rr.generated})`);
    check(rr.cache_hits === finished, `what finished before the cancel came from the cache (${rr.cache_hits} of ${finished})`);
    check(rr.requests === 20 - finished && c3.requests - c2.requests === 20 - finished,
          `the re-run sent only the rest: ${rr.requests} requests (fake: ${c3.requests - c2.requests}, want ${20 - finished})`);

    // ---- 7. after a reload the cache comes back from IndexedDB ----
    await openPage();
    await typeKey();
    const c4 = await count();
    r = await synth(config);
    await synth({ cmd: 'run' });
    st = await finishedRuns(1);
    const c5 = await count();
    check(st.synth.run_state === 'done' && st.synth.run_report.generated === 14, 'after a reload the first recipe runs again');
    check(c5.requests === c4.requests && st.synth.run_report.requests === 0,
          `served from IndexedDB: zero requests (${c5.requests - c4.requests})`);
    check(JSON.stringify(await status()).indexOf(KEY) < 0, 'the status JSON has no key');
  } catch (e) {
    check(false, 'unexpected: ' + (e && e.stack ? e.stack : e));
  } finally {
    await browser.close();
    server.proc.kill();
    fake.proc.kill();
  }

  // The key is in no file the page produced, no URL and no console line.
  const leaks = [];
  const walk = (d) => {
    for (const f of fs.readdirSync(d)) {
      const p = path.join(d, f);
      if (fs.statSync(p).isDirectory()) walk(p);
      else if (fs.readFileSync(p).includes(KEY)) leaks.push(p);
    }
  };
  walk(webDir);
  const files = [];
  const list = (d) => { for (const f of fs.readdirSync(d)) { const p = path.join(d, f); if (fs.statSync(p).isDirectory()) list(p); else files.push(p); } };
  list(webDir);
  check(files.length >= 15, `${files.length} downloaded files checked for the key`);
  check(leaks.length === 0, 'the key is absent from every downloaded file and the saved pipeline' + (leaks.length ? ': ' + leaks.join(', ') : ''));
  check(!requests.concat(urls).some((u) => u.includes(KEY)), 'the key is in no request URL or page URL');
  check(!consoleText.some((t) => t.includes(KEY)), `the key is in none of the ${consoleText.length} console lines`);
  fs.writeFileSync(path.join(out, 'requests.txt'), requests.join('\n') + '\n');
  fs.writeFileSync(path.join(out, 'console.txt'), consoleText.join('\n') + '\n');
  const foreign = requests.filter((x) => {
    const u = x.slice(x.indexOf(' ') + 1);
    return !u.startsWith(origin + '/') && !u.startsWith(fakeUrl + '/') && !u.startsWith('blob:' + origin + '/') && !u.startsWith('data:');
  });
  check(requests.some((x) => x.includes(fakeUrl)), `${requests.length} requests recorded, some to the fake`);
  check(foreign.length === 0, 'every request went to the page origin or the fake provider' + (foreign.length ? ': ' + foreign.slice(0, 5).join(', ') : ''));
  finish(out);
})().catch((e) => {
  console.log('FAIL  ' + (e && e.stack ? e.stack : e));
  process.exit(1);
});
