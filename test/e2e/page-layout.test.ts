/**
 * report.html on a phone, on a desktop and on paper (issue 18), measured in headless Chromium.
 * Chromium will not make a window narrower than 500 px, so the page is loaded into iframes of a
 * wrapper page (srcdoc, so the wrapper may read them): 390 px (a phone), 1000 px (a desktop) and
 * 688 px with the print rules switched on (A4's printable width, 182 mm). A script in the wrapper
 * measures each frame after load and `--dump-dom` hands the numbers back. Then the page is printed
 * to PDF and its text read page by page (Ghostscript's txtwrite) to check that no page ends with a
 * section heading and no table lost a column. Two browser starts in all.
 */
import { describe, expect, it, beforeAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT, assertBuilt, rapport, tmpDir } from '../helpers/cli.js';

const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => fs.existsSync(p));
const GS = ['/usr/bin/gs', '/usr/local/bin/gs'].find((p) => fs.existsSync(p));
if (CHROMIUM && !GS) console.warn('test/e2e/page-layout.test.ts: Ghostscript is not installed, so the PDF page test is skipped (apt-get install ghostscript).');
if (!CHROMIUM) console.warn('test/e2e/page-layout.test.ts: chromium is not installed, so the page layout tests are skipped (apt-get install chromium).');

interface PlotInfo {
  layout: string;
  right: number;
  minFontPx: number;
  outside: string[];
  overlaps: number;
}
interface FrameInfo {
  vw: number;
  sw: number;
  bare: number;
  boxRight: number;
  scrolling: number;
  clipped: number;
  plots: PlotInfo[];
}

/** Runs inside Chromium: the measurements of one frame's document. */
function measure(d: Document): FrameInfo {
  const vw = d.documentElement.clientWidth;
  const boxes = [...d.querySelectorAll('.table-scroll')] as HTMLElement[];
  const plots = ([...d.querySelectorAll('svg')] as SVGSVGElement[])
    .filter((s) => s.getBoundingClientRect().width > 0)
    .map((s) => {
      const rect = s.getBoundingClientRect();
      const k = rect.width / s.viewBox.baseVal.width;
      const texts = [...s.querySelectorAll('text')] as SVGTextElement[];
      const boxesOf = texts.map((t) => t.getBBox());
      let overlaps = 0;
      for (let i = 0; i < boxesOf.length; i++)
        for (let j = i + 1; j < boxesOf.length; j++) {
          const a = boxesOf[i];
          const b = boxesOf[j];
          if (a.x + 0.5 < b.x + b.width && b.x + 0.5 < a.x + a.width && a.y + 0.5 < b.y + b.height && b.y + 0.5 < a.y + a.height) overlaps++;
        }
      const W = s.viewBox.baseVal.width;
      return {
        layout: s.parentElement?.className || 'single',
        right: rect.right,
        minFontPx: Math.min(...texts.map((t) => parseFloat(t.getAttribute('font-size') ?? getComputedStyle(t).fontSize) * k)),
        outside: texts.filter((_t, i) => boxesOf[i].x < -0.5 || boxesOf[i].x + boxesOf[i].width > W + 0.5).map((t) => t.textContent ?? ''),
        overlaps,
      };
    });
  return {
    vw,
    sw: d.documentElement.scrollWidth,
    bare: [...d.querySelectorAll('table')].filter((t) => !t.parentElement?.classList.contains('table-scroll')).length,
    boxRight: Math.max(0, ...boxes.map((b) => b.getBoundingClientRect().right)),
    scrolling: boxes.filter((b) => b.scrollWidth > b.clientWidth + 1).length,
    clipped: boxes.filter((b) => getComputedStyle(b).overflowX !== 'visible' && b.scrollWidth > b.clientWidth + 1).length,
    plots,
  };
}

function chromium(args: string[], profile: string) {
  const c = spawnSync(CHROMIUM!, ['--headless', '--no-sandbox', '--disable-gpu', '--hide-scrollbars', '--disable-background-networking', '--disable-component-update', '--no-first-run', `--user-data-dir=${profile}`, ...args], {
    encoding: 'utf8',
    timeout: 120_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  expect(c.status, c.stderr).toBe(0);
  return c.stdout;
}

const attr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;');

describe.skipIf(!CHROMIUM)('report.html on a phone, a desktop and paper', () => {
  let dir = '';
  let html = '';
  let frames: Record<'phone' | 'desktop' | 'print', FrameInfo>;
  beforeAll(() => {
    assertBuilt();
    dir = tmpDir('rapport-page-');
    const r = rapport(
      ['report', 'fixtures/report/survey.csv', '--instrument', 'relationship-engagement', '--outcome', 'portal_use', '--covariates', 'age,sex', '--group-by', 'clinic'].concat(
        ['--title', 'Patient relationship survey of the North and South clinics', '--period', '2026 Q4', '--outcome-label', 'uses the patient portal', '--out', path.join(dir, 'r'), '--quiet'],
      ),
      { cwd: ROOT, asIs: true }, // the default page, bootstrap table and calibration plot included
    );
    expect(r.code, r.stderr).toBe(0);
    html = fs.readFileSync(path.join(dir, 'r', 'report.html'), 'utf8');
    const printed = html.replace(/@media print/g, '@media all');
    const frame = (id: string, w: number, doc: string) => `<iframe id="${id}" style="width:${w}px;height:900px;border:0;display:block" srcdoc="${attr(doc)}"></iframe>`;
    const wrapper = `<!DOCTYPE html><html><body style="margin:0">${frame('phone', 390, html)}${frame('desktop', 1000, html)}${frame('print', 688, printed)}
<script>
const measure = ${measure.toString()};
window.addEventListener('load', () => {
  const out = {};
  for (const id of ['phone', 'desktop', 'print']) out[id] = measure(document.getElementById(id).contentDocument);
  const pre = document.createElement('pre');
  pre.id = 'result';
  pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
});
</script></body></html>`;
    fs.writeFileSync(path.join(dir, 'wrapper.html'), wrapper);
    const dom = chromium(['--virtual-time-budget=10000', '--dump-dom', `file://${path.join(dir, 'wrapper.html')}`], path.join(dir, 'profile1'));
    const m = /<pre id="result">([^<]*)<\/pre>/.exec(dom);
    expect(m, 'the measuring script ran').not.toBeNull();
    frames = JSON.parse(m![1].replace(/&quot;/g, '"').replace(/&amp;/g, '&'));
    if (process.env.PAGE_DEBUG) console.log(JSON.stringify(frames, null, 1));
  }, 180_000);

  it('on a phone (390 px) the page never scrolls sideways; wide tables scroll in their own box', () => {
    const f = frames.phone;
    expect(f.vw).toBe(390);
    expect(f.sw).toBeLessThanOrEqual(f.vw);
    expect(f.bare).toBe(0);
    expect(f.boxRight).toBeLessThanOrEqual(f.vw);
    expect(f.scrolling).toBeGreaterThan(0); // the groups and model tables are wider than a phone
  });

  it('on a phone the plots use their narrow layout: inside the screen, text at least 11 px, nothing cut or overlapping', () => {
    const plots = frames.phone.plots;
    expect(plots.map((p) => p.layout)).toEqual(['plot-narrow', 'plot-narrow', 'plot-narrow', 'plot-narrow', 'plot-narrow']); // forest, dominance, distributions, calibration (one square drawing for both), groups
    for (const p of plots) {
      expect(p.right).toBeLessThanOrEqual(390);
      expect(p.minFontPx).toBeGreaterThanOrEqual(11);
      expect(p.outside).toEqual([]);
      expect(p.overlaps).toBe(0);
    }
  });

  it('on a desktop (1000 px) the plots use their wide layout at full size', () => {
    const f = frames.desktop;
    expect(f.sw).toBeLessThanOrEqual(f.vw);
    expect(f.scrolling).toBe(0);
    expect(f.plots.map((p) => p.layout)).toEqual(['plot-wide', 'plot-wide', 'plot-wide', 'plot-wide', 'plot-wide']);
    for (const p of f.plots) {
      expect(p.minFontPx).toBeGreaterThanOrEqual(11);
      expect(p.outside).toEqual([]);
      expect(p.overlaps).toBe(0);
    }
  });

  it('with the print rules at A4 width every table and plot fits: nothing clipped', () => {
    const f = frames.print;
    expect(f.sw).toBeLessThanOrEqual(f.vw);
    expect(f.clipped).toBe(0);
    expect(f.boxRight).toBeLessThanOrEqual(f.vw);
    expect(f.plots.map((p) => p.layout)).toEqual(['plot-wide', 'plot-wide', 'plot-wide', 'plot-wide', 'plot-wide']);
    for (const p of f.plots) expect(p.right).toBeLessThanOrEqual(f.vw);
  });

  it.skipIf(!GS)('printed to PDF, no page ends with a section heading and every table cell is there', () => {
    const pdf = path.join(dir, 'report.pdf');
    chromium(['--no-pdf-header-footer', `--print-to-pdf=${pdf}`, `file://${path.join(dir, 'r', 'report.html')}`], path.join(dir, 'profile2'));
    const gs = spawnSync(GS!, ['-q', '-dNOPAUSE', '-dBATCH', '-dSAFER', '-sDEVICE=txtwrite', `-sOutputFile=${path.join(dir, 'page-%d.txt')}`, pdf], { encoding: 'utf8', timeout: 60_000 });
    expect(gs.status, `Ghostscript (gs) reads the PDF's text: ${gs.stderr}`).toBe(0);
    const pages = fs
      .readdirSync(dir)
      .filter((f) => /^page-\d+\.txt$/.test(f))
      .sort((a, b) => parseInt(a.slice(5)) - parseInt(b.slice(5)))
      .map((f) => fs.readFileSync(path.join(dir, f), 'utf8'));
    expect(pages.length).toBeGreaterThan(2);
    const headings = [...html.matchAll(/<h2>([^<]*)<\/h2>/g)].map((m) => m[1].replace(/&amp;/g, '&').replace(/&#39;/g, "'").replace(/&quot;/g, '"').trim());
    expect(headings).toContain('What this means');
    pages.forEach((text, i) => {
      const lines = text.split('\n').map((l) => l.trim()).filter((l) => l !== '');
      expect(headings, `page ${i + 1} ends with a heading`).not.toContain(lines[lines.length - 1]);
    });
    // Every row of the groups table (the widest), with its last column, is in the printed text.
    const all = pages.join('\n').replace(/\s+/g, ' ');
    const groups = fs.readFileSync(path.join(dir, 'r', 'groups.csv'), 'utf8').trim().split('\n').slice(1);
    for (const row of groups) {
      const cells = row.split(',');
      expect(all).toContain(cells[0]);
    }
    const lastColumn = [...html.matchAll(/<tr><td>([^<]*)<\/td><td class="num">[^<]*<\/td><td class="num">[^<]*<\/td>(?:<td class="num">[^<]*<\/td>)*<td class="num">([0-9.]+)<\/td><\/tr>/g)];
    expect(lastColumn.length).toBeGreaterThan(0);
    for (const m of lastColumn) expect(all).toContain(m[2]);
  }, 120_000);
});
