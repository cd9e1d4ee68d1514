/** Locations inside the installed package (works from src/ under vitest and from dist/ when built). */
import { fileURLToPath } from 'node:url';
import * as path from 'node:path';

export const PACKAGE_ROOT = path.resolve(fileURLToPath(new URL('.', import.meta.url)), '..');
export const INSTRUMENTS_DIR = path.join(PACKAGE_ROOT, 'instruments');
export const FIXTURES_DIR = path.join(PACKAGE_ROOT, 'fixtures');
