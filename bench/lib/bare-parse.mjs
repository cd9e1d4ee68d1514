// The ceiling for bench/score.mjs: a bare csv-parse pass over a file, arrays of strings, 'readable'
// loop, 64 KiB reads (as `rapport score` reads). Prints the record count.
import * as fs from 'node:fs';
import { parse } from 'csv-parse';

const file = process.argv[2];
let n = 0;
const parser = parse({ relax_column_count: true });
parser.on('readable', () => {
  while (parser.read() !== null) n++;
});
parser.on('end', () => console.log(n));
parser.on('error', (e) => {
  console.error(e.message);
  process.exitCode = 1;
});
fs.createReadStream(file, { highWaterMark: 1 << 16 }).pipe(parser);
