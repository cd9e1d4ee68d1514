/**
 * CSV writers for simulated data, in four flavours. Every flavour holds the same answers for the
 * same seed; only the layout differs, so `rapport score` gives identical scores for each.
 *
 * - plain: header row of item ids, `id` first, raw codes, refusals as the missing code, LF.
 * - qualtrics: a current-format Qualtrics "Data Table" export with choice text: three header rows
 *   (export tags = item ids; question text; `{"ImportId":"QID<n>"}` JSON), the 2025 default metadata
 *   columns (StartDate, EndDate, Status, Progress, Duration (in seconds), Finished, RecordedDate,
 *   ResponseId, DistributionChannel, UserLanguage), answers as option labels in the instrument's first
 *   language, refusals as the missing option's label, Status `IP Address`, Finished `True`; no BOM,
 *   CRLF line ends (the importer reads LF as well).
 * - redcap: a raw REDCap records export: `record_id` first, field names = item ids, raw codes,
 *   `<form>_complete` = 2 (Complete) last, LF.
 * - limesurvey: a LimeSurvey response export with question codes = item ids and answer codes:
 *   UTF-8 BOM, `;` separator, every field double-quoted, CRLF, system columns `id, submitdate,
 *   lastpage, startlanguage, seed, startdate, datestamp` first.
 * Demographic columns `age` (years) and `sex` (`F`/`M`) follow the items in every flavour.
 *
 * Dates, durations and response ids come from their own random stream of the same seed (never the
 * clock), so the same seed gives the same bytes on every machine.
 */
import { localize, responseSetOf } from '../instrument/types.js';
import { neutralizeFormula, neutralizeText } from '../util/format.js';
import { EMPTY, REFUSED, type SimData, type SimPlan } from './generate.js';
import { Rng } from './rng.js';

export const FORMATS = ['plain', 'qualtrics', 'redcap', 'limesurvey'] as const;
export type Flavour = (typeof FORMATS)[number];

/** Random stream used for export metadata (dates, ids), distinct from the data stream 0. */
export const META_STREAM = 0x6d657461; // "meta"

/** Rows per yielded chunk. */
const CHUNK_ROWS = 2000;

/** How many chunks writeCsv yields for n rows (about; for progress bars). */
export const writeChunks = (n: number): number => Math.max(1, Math.ceil(n / CHUNK_ROWS));

function quoteIfNeeded(s: string, delim: string): string {
  if (s.includes('"') || s.includes(delim) || s.includes('\n') || s.includes('\r')) return '"' + s.replace(/"/g, '""') + '"';
  return s;
}

function quoteAlways(s: string): string {
  return '"' + s.replace(/"/g, '""') + '"';
}

/** Names of the demographic columns, renamed if the instrument already uses `age` or `sex` as item ids. */
export function demographicNames(plan: SimPlan): { age: string; sex: string } {
  const taken = new Set(plan.ci.items.map((i) => i.id));
  const free = (name: string) => {
    let n = name;
    while (taken.has(n)) n = 'demo_' + n;
    return n;
  };
  return { age: free('age'), sex: free('sex') };
}

/** Name of the clinician column (`clinician_id`, renamed like the demographics if taken), or none when not clustered. */
function clusterHeader(plan: SimPlan, data: SimData): string[] {
  if (!data.cluster) return [];
  const taken = new Set(plan.ci.items.map((i) => i.id));
  let n = 'clinician_id';
  while (taken.has(n)) n = 'demo_' + n;
  return [n];
}

/** The clinician id of respondent i as a list of zero or one field (C001, C002, ...). */
function clusterField(data: SimData, i: number): string[] {
  if (!data.cluster) return [];
  const w = Math.max(3, String(data.clusterEffects!.length).length);
  return ['C' + String(data.cluster[i] + 1).padStart(w, '0')];
}
const clusterSuffix = (data: SimData, i: number): string => (data.cluster ? ',' + clusterField(data, i)[0] : '');

/** Per item: stored text for each option (codes or labels) and for a refusal. */
interface CellTexts {
  options: string[];
  refusal: string;
}

function cellTexts(plan: SimPlan, useLabels: boolean): CellTexts[] {
  const lang = plan.inst.languages[0] ?? 'en';
  return plan.inst.items.map((it) => {
    const rs = responseSetOf(plan.inst, it);
    // Text that a spreadsheet would run as a formula (a label "=SUM(...)", a code "-A1") gets a leading
    // ' in every flavour, like every other CSV rapport writes; rapport score reads it back without the '.
    const options = rs.options.map((o) => neutralizeText(useLabels ? localize(o.label, lang) : String(o.value)));
    const m = rs.missing[0];
    const refusal = m === undefined ? '' : neutralizeText(useLabels ? localize(m.label, lang) : String(m.value));
    return { options, refusal };
  });
}

function cellText(t: CellTexts, c: number): string {
  if (c === EMPTY) return '';
  if (c === REFUSED) return t.refusal;
  return t.options[c];
}

const pad2 = (x: number) => (x < 10 ? '0' : '') + x;

/** `YYYY-MM-DD HH:MM:SS` for a time in seconds since the epoch (UTC arithmetic; no clock, no zone). */
export function formatTimestamp(sec: number): string {
  const d = new Date(sec * 1000);
  return `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())} ${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}`;
}

interface Timing {
  start: Float64Array;
  duration: Float64Array;
}

/**
 * Survey timing for n respondents: a field period starting on a seed-dependent Monday in early 2026,
 * responses arriving over about six weeks between 08:00 and 21:00 (exponential gaps in opening
 * hours), completion in about 5 minutes (log-normal).
 */
function makeTiming(rng: Rng, n: number): Timing {
  const base = Date.UTC(2026, 0, 5) / 1000 + rng.int(8) * 7 * 86400;
  const open = 13 * 3600;
  const meanGap = (42 * open) / Math.max(n, 1);
  const start = new Float64Array(n);
  const duration = new Float64Array(n);
  let w = 0;
  for (let i = 0; i < n; i++) {
    w += -Math.log(1 - rng.uniform()) * meanGap;
    const day = Math.floor(w / open);
    start[i] = base + day * 86400 + 8 * 3600 + Math.floor(w - day * open);
    duration[i] = Math.max(60, Math.round(Math.exp(5.7 + 0.45 * rng.normal())));
  }
  return { start, duration };
}

const B62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function qualtricsResponseId(rng: Rng): string {
  let s = 'R_';
  for (let k = 0; k < 15; k++) s += B62[rng.int(62)];
  return s;
}

/** The form name REDCap would use for an instrument id: lower case, non-alphanumerics as `_`. */
export function redcapFormName(instId: string): string {
  const f = instId.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '');
  return /^[a-z]/.test(f) ? f : 'form_' + f;
}

/** Write the data as CSV text, in chunks. */
export function* writeCsv(plan: SimPlan, data: SimData, flavour: Flavour, seed: number): Generator<string> {
  switch (flavour) {
    case 'plain':
      yield* writePlain(plan, data);
      return;
    case 'qualtrics':
      yield* writeQualtrics(plan, data, seed);
      return;
    case 'redcap':
      yield* writeRedcap(plan, data);
      return;
    case 'limesurvey':
      yield* writeLimeSurvey(plan, data, seed);
      return;
  }
}

/** The whole CSV as one string (tests, small n). */
export function csvString(plan: SimPlan, data: SimData, flavour: Flavour, seed: number): string {
  let s = '';
  for (const c of writeCsv(plan, data, flavour, seed)) s += c;
  return s;
}

function idWidth(n: number): number {
  return Math.max(4, String(n).length);
}

function* writePlain(plan: SimPlan, data: SimData): Generator<string> {
  const texts = cellTexts(plan, false);
  const demo = demographicNames(plan);
  const ids = plan.ci.items.map((i) => i.id);
  let out = ['id', ...ids, demo.age, demo.sex, ...clusterHeader(plan, data)].map((h) => quoteIfNeeded(h, ',')).join(',') + '\n';
  const w = idWidth(data.n);
  for (let i = 0; i < data.n; i++) {
    let line = 'R' + String(i + 1).padStart(w, '0');
    for (let t = 0; t < texts.length; t++) line += ',' + quoteIfNeeded(cellText(texts[t], data.cat[t][i]), ',');
    line += ',' + data.age[i] + ',' + (data.sex[i] === 0 ? 'F' : 'M') + clusterSuffix(data, i) + '\n';
    out += line;
    if ((i + 1) % CHUNK_ROWS === 0) {
      yield out;
      out = '';
    }
  }
  if (out) yield out;
}

function* writeQualtrics(plan: SimPlan, data: SimData, seed: number): Generator<string> {
  const rng = new Rng(seed, META_STREAM);
  const lang = plan.inst.languages[0] ?? 'en';
  const texts = cellTexts(plan, true);
  const demo = demographicNames(plan);
  const tz = 'America/New_York';
  const meta: [string, string, string][] = [
    ['StartDate', 'Start Date', JSON.stringify({ ImportId: 'startDate', timeZone: tz })],
    ['EndDate', 'End Date', JSON.stringify({ ImportId: 'endDate', timeZone: tz })],
    ['Status', 'Response Type', JSON.stringify({ ImportId: 'status' })],
    ['Progress', 'Progress', JSON.stringify({ ImportId: 'progress' })],
    ['Duration (in seconds)', 'Duration (in seconds)', JSON.stringify({ ImportId: 'duration' })],
    ['Finished', 'Finished', JSON.stringify({ ImportId: 'finished' })],
    ['RecordedDate', 'Recorded Date', JSON.stringify({ ImportId: 'recordedDate', timeZone: tz })],
    ['ResponseId', 'Response ID', JSON.stringify({ ImportId: '_recordId' })],
    ['DistributionChannel', 'Distribution Channel', JSON.stringify({ ImportId: 'distributionChannel' })],
    ['UserLanguage', 'User Language', JSON.stringify({ ImportId: 'userLanguage' })],
  ];
  const nItems = plan.inst.items.length;
  const itemCols: [string, string, string][] = plan.inst.items.map((it, k) => [it.id, neutralizeFormula(localize(it.text, lang)), JSON.stringify({ ImportId: `QID${k + 1}` })]);
  const demoCols: [string, string, string][] = [
    [demo.age, 'What is your age in years?', JSON.stringify({ ImportId: `QID${nItems + 1}_TEXT` })],
    [demo.sex, demo.sex, JSON.stringify({ ImportId: demo.sex })],
    ...clusterHeader(plan, data).map((h): [string, string, string] => [h, h, JSON.stringify({ ImportId: h })]),
  ];
  const cols = [...meta, ...itemCols, ...demoCols];
  const EOL = '\r\n';
  let out = '';
  for (let r = 0; r < 3; r++) out += cols.map((c) => quoteIfNeeded(c[r], ',')).join(',') + EOL;
  const timing = makeTiming(rng, data.n);
  const userLang = lang.toUpperCase();
  for (let i = 0; i < data.n; i++) {
    const start = timing.start[i];
    const end = start + timing.duration[i];
    let line =
      formatTimestamp(start) + ',' + formatTimestamp(end) + ',IP Address,100,' + timing.duration[i] + ',True,' +
      formatTimestamp(end) + ',' + qualtricsResponseId(rng) + ',anonymous,' + userLang;
    for (let t = 0; t < texts.length; t++) line += ',' + quoteIfNeeded(cellText(texts[t], data.cat[t][i]), ',');
    line += ',' + data.age[i] + ',' + (data.sex[i] === 0 ? 'F' : 'M') + clusterSuffix(data, i) + EOL;
    out += line;
    if ((i + 1) % CHUNK_ROWS === 0) {
      yield out;
      out = '';
    }
  }
  if (out) yield out;
}

function* writeRedcap(plan: SimPlan, data: SimData): Generator<string> {
  const texts = cellTexts(plan, false);
  const demo = demographicNames(plan);
  const form = redcapFormName(plan.inst.id);
  const header = ['record_id', ...plan.ci.items.map((i) => i.id), demo.age, demo.sex, ...clusterHeader(plan, data), `${form}_complete`];
  let out = header.map((h) => quoteIfNeeded(h, ',')).join(',') + '\n';
  for (let i = 0; i < data.n; i++) {
    let line = String(i + 1);
    for (let t = 0; t < texts.length; t++) line += ',' + quoteIfNeeded(cellText(texts[t], data.cat[t][i]), ',');
    line += ',' + data.age[i] + ',' + (data.sex[i] === 0 ? 'F' : 'M') + clusterSuffix(data, i) + ',2\n';
    out += line;
    if ((i + 1) % CHUNK_ROWS === 0) {
      yield out;
      out = '';
    }
  }
  if (out) yield out;
}

function* writeLimeSurvey(plan: SimPlan, data: SimData, seed: number): Generator<string> {
  const rng = new Rng(seed, META_STREAM);
  const texts = cellTexts(plan, false);
  const demo = demographicNames(plan);
  const lang = plan.inst.languages[0] ?? 'en';
  const header = ['id', 'submitdate', 'lastpage', 'startlanguage', 'seed', 'startdate', 'datestamp', ...plan.ci.items.map((i) => i.id), demo.age, demo.sex, ...clusterHeader(plan, data)];
  const EOL = '\r\n';
  let out = '\uFEFF' + header.map(quoteAlways).join(';') + EOL;
  const timing = makeTiming(rng, data.n);
  const lastPage = 3;
  for (let i = 0; i < data.n; i++) {
    const start = timing.start[i];
    const end = formatTimestamp(start + timing.duration[i]);
    const fields = [String(i + 1), end, String(lastPage), lang, String(rng.nextU32() % 2147483647), formatTimestamp(start), end];
    for (let t = 0; t < texts.length; t++) fields.push(cellText(texts[t], data.cat[t][i]));
    fields.push(String(data.age[i]), data.sex[i] === 0 ? 'F' : 'M', ...clusterField(data, i));
    out += fields.map(quoteAlways).join(';') + EOL;
    if ((i + 1) % CHUNK_ROWS === 0) {
      yield out;
      out = '';
    }
  }
  if (out) yield out;
}
