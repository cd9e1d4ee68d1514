// `rapport score` in-process for bench/score.mjs: the same pipeline, CSV writer and atomic output as
// the CLI, timed from opening the input to the renamed output file (module loading and instrument
// validation, about 0.2 s of CLI start-up, are excluded; bench/score.mjs also times the whole CLI).
import { scoreInput } from '../../dist/scoring/pipeline.js';
import { ScoredCsvWriter } from '../../dist/ingest/csv-write.js';
import { openOutput } from '../../dist/io/atomic.js';
import { loadInstrument } from '../../dist/instrument/load.js';

const [file, instrumentFile, outFile] = process.argv.slice(2);
const instrument = loadInstrument(instrumentFile);
const t0 = process.hrtime.bigint();
const out = await openOutput(outFile, { mode: 0o600, highWaterMark: 1 << 20 });
const writer = new ScoredCsvWriter();
const summary = await scoreInput(
  {
    input: file,
    instrument,
    onHeader: (h) => writer.header(h),
    drain: async () => {
      if (writer.size > 0) await out.write(writer.take());
    },
  },
  (row) => writer.row(row),
);
await out.commit();
const secs = Number(process.hrtime.bigint() - t0) / 1e9;
console.log(JSON.stringify({ secs, rows: summary.rowsScored }));
