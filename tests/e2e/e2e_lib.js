// What the browser end-to-end tests share: command-line arguments, ok / FAIL lines and the skip
// exit code, serve.py and other children that print their address, headless Debian Chromium with
// the launch flags of TOOLCHAIN.md, key presses that ImGui sees, waiting on the studio's status,
// checked-non-blank screenshots and the same-origin check on every recorded request.
'use strict';
const fs = require('fs');
const path = require('path');
const { spawn } = require('child_process');
const { stats } = require('./png_stats');

const SKIP = 77;
const root = path.join(__dirname, '..', '..');
const serveScript = path.join(root, 'scripts', 'serve.py');

function arg(name, def) {
  const i = process.argv.indexOf('--' + name);
  return i > 0 ? process.argv[i + 1] : def;
}

let failures = 0;
function check(ok, what) {
  console.log((ok ? 'ok    ' : 'FAIL  ') + what);
  if (!ok) failures++;
  return ok;
}
const failed = () => failures;
function skip(why) {
  console.log('SKIP: ' + why);
  process.exit(SKIP);
}
// Prints the summary and exits 0 or 1.
function finish(out) {
  console.log(failures ? `${failures} check(s) failed; outputs in ${out}` : `all checks passed; outputs in ${out}`);
  process.exit(failures ? 1 : 0);
}

// playwright-core and /usr/bin/chromium, or a skip that says which is missing.
function requirePlaywright() {
  if (!fs.existsSync('/usr/bin/chromium')) skip('/usr/bin/chromium is not installed (apt-get install chromium)');
  try {
    return require('playwright-core');
  } catch (e) {
    skip('playwright-core is not installed (npm install, see package.json)');
  }
  return null;
}

// Children are killed on any exit, also when something throws.
const children = [];
process.on('exit', () => { for (const p of children) p.kill(); });
// Starts a child that prints its address; resolves with the process and the first match of pattern.
function startChild(cmd, args, env, pattern) {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'inherit'], env: Object.assign({}, process.env, env || {}) });
    children.push(p);
    let buf = '';
    p.stdout.on('data', (d) => {
      buf += d;
      const m = buf.match(pattern);
      if (m) resolve({ proc: p, match: m });
    });
    p.on('exit', (c) => reject(new Error(cmd + ' ' + args.join(' ') + ' exited with ' + c)));
  });
}
// serve.py on a free port; isolated: with COOP / COEP (its default), else as a plain static host.
async function startServer(dist, isolated = true) {
  const c = await startChild('/usr/bin/python3', [serveScript, dist, '--port', '0'].concat(isolated ? [] : ['--no-isolation']),
                             {}, /http:\/\/127\.0\.0\.1:(\d+)\//);
  return { proc: c.proc, origin: 'http://127.0.0.1:' + c.match[1] };
}

function launchChromium(playwright) {
  // playwright gives each launch a fresh profile directory.
  return playwright.chromium.launch({
    executablePath: '/usr/bin/chromium', headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--enable-unsafe-swiftshader', '--disable-quic', '--no-first-run',
           '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

// Holds a key combination for a few frames: a press and release inside one frame can be missed
// by ImGui (it samples key state once per frame, and a busy page may draw only a few per second).
async function holdPress(page, combo) {
  const keys = combo.split('+');
  for (const k of keys) await page.keyboard.down(k);
  await page.waitForTimeout(250);
  for (const k of keys.reverse()) await page.keyboard.up(k);
}

// Waits until pred holds in the page, then returns the studio's status. No wall-clock limit of our
// own: playwright's waitForFunction polls until the condition holds (ctest's TIMEOUT guards a hang).
async function waitFor(page, pred, argument) {
  await page.waitForFunction(pred, argument, { timeout: 0, polling: 100 });
  return page.evaluate(() => window.winnow.status());
}

// Presses a shortcut until its effect shows (bounded number of tries, then the test fails).
async function pressUntil(page, combo, pred) {
  for (let attempt = 0; attempt < 20; ++attempt) {
    await holdPress(page, combo);
    try {
      await page.waitForFunction(pred, null, { timeout: 3000, polling: 100 });
      return await page.evaluate(() => window.winnow.status());
    } catch (e) {
      if (!String(e).includes('Timeout')) throw e;
    }
  }
  throw new Error('shortcut ' + combo + ' had no effect after 20 tries');
}

// Waits for n drawn frames (the studio's frame counter): typing faster than the page draws drops
// characters, since ImGui reads queued input once per frame.
async function frames(page, n) {
  const f0 = await page.evaluate(() => window.winnow.status().frames);
  await page.waitForFunction((f) => window.winnow.status().frames >= f, f0 + n, { timeout: 0, polling: 20 });
}
async function typeSlowly(page, text) {
  for (const ch of text) {
    await page.keyboard.type(ch);
    await frames(page, 2);
  }
}

// A PNG of the page in dir, checked to be non-blank.
async function shot(page, dir, name) {
  await page.waitForTimeout(300);  // let a few frames draw after the last state change
  const file = path.join(dir, name + '.png');
  const png = await page.screenshot({ path: file });
  const s = stats(png);
  check(s.colors > 40 && s.dominant < 0.97, `screenshot ${name}.png is not blank (${s.colors} colours, ` +
        `${(s.dominant * 100).toFixed(1)}% in the most common one)`);
  return png;
}

// Every recorded request stayed on the page's origin (blob: and data: URLs of that page count).
function checkSameOrigin(requests, origin) {
  const foreign = requests.filter((u) => !u.startsWith(origin + '/') && !u.startsWith('blob:' + origin + '/') && !u.startsWith('data:'));
  check(requests.length > 0, `recorded ${requests.length} requests`);
  check(foreign.length === 0, 'no request left the page origin' + (foreign.length ? ': ' + foreign.join(', ') : ''));
}

// A browser context with downloads and the studio's viewport, every request recorded into
// `requests`, and a page whose console errors and uncaught exceptions go into `consoleErrors`.
async function newStudioPage(browser, requests, consoleErrors, viewport = { width: 1400, height: 860 }) {
  const context = await browser.newContext({ acceptDownloads: true, viewport });
  context.on('request', (r) => requests.push(r.url()));
  const page = await context.newPage();
  page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
  page.on('pageerror', (e) => consoleErrors.push(String(e)));
  return { context, page };
}

// Export all (Ctrl+E on the Export tab): one Blob download per output named in the studio's
// status, saved into dir. Returns the downloaded file names.
async function exportAll(page, dir) {
  fs.mkdirSync(dir, { recursive: true });
  const st = await pressUntil(page, 'Control+5', () => window.winnow.status().tab === 'Export');
  const expected = st.outputs.map((o) => o.name);
  const downloads = [];
  const got = new Promise((resolve) => {
    page.on('download', async (d) => {
      await d.saveAs(path.join(dir, d.suggestedFilename()));
      downloads.push(d.suggestedFilename());
      if (downloads.length === expected.length) resolve();
    });
  });
  await holdPress(page, 'Control+e');
  await got;
  check(downloads.sort().join(',') === [...expected].sort().join(','), 'downloaded every output: ' + downloads.join(', '));
  return expected;
}

// The same set of files in both folders, each byte-identical.
function compareOutputs(webDir, cliDir, names) {
  const cliFiles = fs.existsSync(cliDir) ? fs.readdirSync(cliDir).sort() : [];
  check(cliFiles.join(',') === [...names].sort().join(','), `same outputs (cli: ${cliFiles.join(', ')}; web: ${names.join(', ')})`);
  for (const name of names) {
    const a = path.join(webDir, name), b = path.join(cliDir, name);
    const same = fs.existsSync(a) && fs.existsSync(b) && Buffer.compare(fs.readFileSync(a), fs.readFileSync(b)) === 0;
    check(same, `${name}: browser and native CLI outputs are byte-identical (${fs.existsSync(a) ? fs.statSync(a).size : '-'} bytes)`);
  }
}

module.exports = {
  newStudioPage, exportAll, compareOutputs,
  SKIP, root, arg, check, failed, skip, finish, requirePlaywright, startChild, startServer, launchChromium,
  holdPress, waitFor, pressUntil, frames, typeSlowly, shot, checkSameOrigin,
};
