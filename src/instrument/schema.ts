/** The published JSON Schema for instrument files (instruments/schema.json), loaded once. */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { INSTRUMENTS_DIR } from '../paths.js';

const schema: Record<string, unknown> = JSON.parse(readFileSync(path.join(INSTRUMENTS_DIR, 'schema.json'), 'utf8'));
export default schema;
