import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { AppModule } from '#platform/app';

/** The business modules, in the dependency order of ARCHITECTURE.md; each adds its routes, jobs and demo data. */
export const modules: readonly AppModule[] = [];

export const version: string = JSON.parse(
  readFileSync(new URL('../package.json', import.meta.url), 'utf8'),
).version;

export const webDist = fileURLToPath(new URL('../web/dist', import.meta.url));
