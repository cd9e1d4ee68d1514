/**
 * The two plain CSVs of a dyad simulation, linked by `visit_id`:
 * - patients: `id,visit_id`, the patient form's items (codes; refusals as the missing code), `age,sex`;
 * - clinicians: `id,visit_id,clinician_id`, the clinician form's items.
 * Ids: patient forms P0001..., clinician forms F0001..., visits V0001..., clinicians C001... LF line ends.
 */
import { EMPTY, REFUSED, type SimPlan } from './generate.js';
import type { DyadData, DyadPlan, FormData } from './dyads.js';
import { demographicNames } from './writers.js';

const pad = (prefix: string, k: number, total: number) => prefix + String(k + 1).padStart(Math.max(3, String(total).length), '0');

/** Per item: code text of each option, and of a refusal (the first missing code). */
function codeTexts(plan: SimPlan): { options: string[]; refusal: string }[] {
  return plan.inst.items.map((it) => {
    const rs = plan.inst.response_sets[it.response_set];
    return { options: rs.options.map((o) => String(o.value)), refusal: rs.missing[0] === undefined ? '' : String(rs.missing[0].value) };
  });
}

function itemCells(plan: SimPlan, form: FormData, i: number, texts: { options: string[]; refusal: string }[]): string {
  let s = '';
  for (let t = 0; t < texts.length; t++) {
    const c = form.cat[t][i];
    s += ',' + (c === EMPTY ? '' : c === REFUSED ? texts[t].refusal : texts[t].options[c]);
  }
  return s;
}

/** The patients' and the clinicians' CSV text. */
export function dyadCsv(plan: DyadPlan, d: DyadData): { patients: string; clinicians: string } {
  const P = plan.patient;
  const C = plan.clinician;
  const demo = demographicNames(P);
  const pt = codeTexts(P);
  const ct = codeTexts(C);
  const patients = [['id', 'visit_id', ...P.ci.items.map((x) => x.id), demo.age, demo.sex].join(',')];
  const clinicians = [['id', 'visit_id', 'clinician_id', ...C.ci.items.map((x) => x.id)].join(',')];
  for (let i = 0; i < d.n; i++) {
    const visit = pad('V', i, d.n);
    patients.push(pad('P', i, d.n) + ',' + visit + itemCells(P, d.patient, i, pt) + ',' + d.age[i] + ',' + (d.sex[i] === 0 ? 'F' : 'M'));
    clinicians.push(pad('F', i, d.n) + ',' + visit + ',' + pad('C', d.clinicianOf[i], d.clinicians) + itemCells(C, d.clinician, i, ct));
  }
  return { patients: patients.join('\n') + '\n', clinicians: clinicians.join('\n') + '\n' };
}
