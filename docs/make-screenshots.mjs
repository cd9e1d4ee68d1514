#!/usr/bin/env node
/**
 * Re-makes the screenshots of the README and docs/report.md from the bundled sample:
 *   docs/report-screenshot.png        the page at a desktop width (1100 px), top part
 *   docs/report-phone-screenshot.png  the page on a phone (390 px wide, device scale 2), top part
 *   docs/report-phone-plots.png       the same phone page from "Adjusted model" (forest plot, table)
 * Run after `npx tsc -p tsconfig.json`:  node --experimental-websocket docs/make-screenshots.mjs [out-dir]
 * Uses headless Chromium over the DevTools protocol (Node 20's WebSocket, behind the flag above), so
 * a phone width below Chromium's 500 px window minimum is emulated exactly. A development tool: no
 * test or command depends on it. With an out-dir it writes there instead of docs/ (to look first).
 */
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outDir = path.resolve(process.argv[2] ?? path.join(ROOT, 'docs'));
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'rapport-shots-'));
const report = path.join(work, 'report');
const r = spawnSync(process.execPath, [path.join(ROOT, 'bin/rapport.js'), 'report', 'fixtures/sample/qualtrics-sample.csv', '--instrument', 'relationship-engagement@1.0.0', '--outcome', 'portal_use', '--period', '2026 Q4', '--out', report, '--quiet'], { cwd: ROOT, encoding: 'utf8' });
if (r.status !== 0) throw new Error(`rapport report failed: ${r.stderr}`);

const profile = path.join(work, 'profile');
const chrome = spawn('chromium', ['--headless', '--no-sandbox', '--disable-gpu', '--hide-scrollbars', '--remote-debugging-port=0', `--user-data-dir=${profile}`, 'about:blank'], { stdio: 'ignore' });
try {
  const port = await waitFor(() => fs.readFileSync(path.join(profile, 'DevToolsActivePort'), 'utf8').split('\n')[0]);
  const targets = await waitFor(async () => (await fetch(`http://127.0.0.1:${port}/json`)).json());
  const ws = new WebSocket(targets.find((t) => t.type === 'page').webSocketDebuggerUrl);
  await new Promise((res) => ws.addEventListener('open', res, { once: true }));
  let id = 0;
  const send = (method, params = {}) =>
    new Promise((res, rej) => {
      const my = ++id;
      const on = (ev) => {
        const m = JSON.parse(ev.data);
        if (m.id !== my) return;
        ws.removeEventListener('message', on);
        if (m.error) rej(new Error(`${method}: ${m.error.message}`));
        else res(m.result);
      };
      ws.addEventListener('message', on);
      ws.send(JSON.stringify({ id: my, method, params }));
    });
  /** A screenshot `height` CSS px tall from the top of the page, or from the element with id `from`. */
  const shot = async (file, width, height, scale, mobile, from) => {
    await send('Emulation.setDeviceMetricsOverride', { width, height, deviceScaleFactor: scale, mobile });
    await send('Page.navigate', { url: `file://${path.join(report, 'report.html')}` });
    await new Promise((res) => setTimeout(res, 1500));
    const expr = from ? `document.getElementById(${JSON.stringify(from)}).getBoundingClientRect().top + scrollY - 8` : '0';
    const y = (await send('Runtime.evaluate', { expression: expr, returnByValue: true })).result.value;
    const { data } = await send('Page.captureScreenshot', { format: 'png', captureBeyondViewport: true, clip: { x: 0, y, width, height, scale: 1 } });
    fs.writeFileSync(path.join(outDir, file), Buffer.from(data, 'base64'));
    console.log(`wrote ${path.join(outDir, file)} (${width}x${height} CSS px, scale ${scale})`);
  };
  await send('Page.enable');
  await shot('report-screenshot.png', 1100, 1500, 1, false);
  await shot('report-phone-screenshot.png', 390, 1400, 2, true);
  await shot('report-phone-plots.png', 390, 1400, 2, true, 'model');
  ws.close();
} finally {
  const exited = new Promise((res) => chrome.once('exit', res));
  chrome.kill();
  await exited;
  fs.rmSync(work, { recursive: true, force: true });
}

async function waitFor(f, ms = 30_000) {
  const until = Date.now() + ms;
  for (;;) {
    try {
      return await f();
    } catch (e) {
      if (Date.now() > until) throw e;
      await new Promise((res) => setTimeout(res, 200));
    }
  }
}
