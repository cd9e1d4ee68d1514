/**
 * The byte-for-byte regression cases (issue 12): `rapport score` on every fixture export and
 * `rapport report` on the bundled sample (the `npm start` command) and on the report fixture. Shared by
 * generate.mjs (writes the expected files from the CLI as it was before the refactor) and
 * test/e2e/golden-outputs.test.ts (reruns them with the built CLI and compares).
 *
 * Each case: `args` (with `{OUT}` standing for the case's output folder), and which of its files are
 * compared. stdout, stderr and the exit code are always kept.
 */
/** The version of rapport that wrote the recorded files (it appears in report.html and summary.json). */
export const GOLDEN_VERSION = '0.1.0';

const SCORE_FX = 'fixtures/instruments/score-fixture.yaml';
const RE = 'relationship-engagement@1.0.0';

function score(name, input, instrument, extra = []) {
  return {
    name,
    args: ['score', input, '--instrument', instrument, '--errors', '{OUT}/errors.csv', '--summary-json', '{OUT}/summary.json', ...extra],
    files: ['errors.csv', 'summary.json'],
  };
}

const REPORT_FILES = ['report.txt', 'report.html', 'summary.json', 'model.csv', 'predictors.csv', 'reliability.csv', 'reliability_items.csv', 'descriptives.csv'];

export const CASES = [
  {
    // issue 15: both sides of the visit (the committed fixture pair; R checks its numbers in report-dyads.test.ts)
    name: 'report-dyad',
    args: ['report', 'test/fixtures/dyads/patients.csv', '--instrument', 'relationship-engagement', '--outcome', 'portal_use', '--covariates', 'age', '--dyad', 'test/fixtures/dyads/clinicians.csv', '--dyad-instrument', 'relationship-engagement-clinician', '--on', 'visit_id', '--out', '{OUT}'],
    files: [...REPORT_FILES, 'dyads.csv', 'concordance.csv', 'surface.csv'],
  },
  score('score-limesurvey', 'fixtures/exports/limesurvey.csv', SCORE_FX),
  score('score-plain-semicolon', 'fixtures/exports/plain-semicolon.csv', SCORE_FX),
  score('score-qualtrics-legacy', 'fixtures/exports/qualtrics-legacy.csv', SCORE_FX),
  score('score-qualtrics-numeric', 'fixtures/exports/qualtrics-numeric.csv', SCORE_FX, ['--map', 'fixtures/exports/qualtrics-numeric.map.yaml']),
  score('score-qualtrics', 'fixtures/exports/qualtrics.csv', SCORE_FX),
  score('score-qualtrics-all', 'fixtures/exports/qualtrics.csv', SCORE_FX, ['--include-previews', '--include-incomplete']),
  score('score-redcap', 'fixtures/exports/redcap.csv', SCORE_FX),
  score('score-redcap-incomplete', 'fixtures/exports/redcap.csv', SCORE_FX, ['--include-incomplete', '--dedupe', 'first']),
  score('score-redcap-last', 'fixtures/exports/redcap.csv', SCORE_FX, ['--dedupe', 'last']),
  score('score-report-survey', 'fixtures/report/survey.csv', RE, ['--id-column', 'ResponseId', '--keep', 'age,sex']),
  score('score-report-ehr-logins', 'fixtures/report/ehr-logins.csv', RE),
  score('score-report-one-class', 'fixtures/report/one-class.csv', RE),
  score('score-report-scored', 'fixtures/report/scored.csv', RE),
  score('score-report-separation', 'fixtures/report/separation.csv', RE),
  score('score-sample', 'fixtures/sample/qualtrics-sample.csv', RE),
  score('score-sample-last', 'fixtures/sample/qualtrics-sample.csv', RE, ['--dedupe', 'last', '--keep', 'Status,Finished']),
  {
    name: 'report-sample',
    args: ['report', 'fixtures/sample/qualtrics-sample.csv', '--instrument', RE, '--outcome', 'portal_use', '--out', '{OUT}'],
    files: REPORT_FILES,
  },
  {
    name: 'report-survey',
    args: ['report', 'fixtures/report/survey.csv', '--instrument', RE, '--id-column', 'ResponseId', '--outcome', 'portal_use', '--covariates', 'age,sex', '--group-by', 'clinic', '--out', '{OUT}'],
    files: [...REPORT_FILES, 'groups.csv'],
  },
  {
    name: 'report-scored',
    args: ['report', 'fixtures/report/scored.csv', '--outcome', 'uses_portal', '--predictors', 'trust,respect,communication', '--covariates', 'sex', '--out', '{OUT}'],
    files: REPORT_FILES,
  },
  {
    name: 'report-join',
    args: ['report', 'fixtures/report/survey.csv', '--instrument', RE, '--id-column', 'ResponseId', '--join', 'fixtures/report/ehr-logins.csv', '--on', 'ResponseId', '--outcome', 'portal_login', '--positive', 'yes', '--covariates', 'age', '--bootstrap', '0', '--out', '{OUT}'], // the join is the subject; report-survey records the resamples
    files: REPORT_FILES,
  },
  {
    name: 'report-separation',
    args: ['report', 'fixtures/report/separation.csv', '--outcome', 'portal', '--predictors', 'trust,respect', '--format', 'json', '--out', '{OUT}'],
    files: REPORT_FILES,
  },
];
