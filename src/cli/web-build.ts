import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
/** What the web bundle is built from: a change to any of these makes web/dist stale. */
const sources = [
  'web/src',
  'web/index.html',
  'web/vite.config.ts',
  'locales',
  'src/platform/i18n/catalog.ts',
  'package-lock.json',
];

function newestModification(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestModification(join(path, entry)));
  return newest;
}

export function webBuildIsStale(): boolean {
  const built = join(root, 'web/dist/index.html');
  if (!existsSync(built)) return true;
  const builtAt = statSync(built).mtimeMs;
  return sources.some((source) => newestModification(join(root, source)) > builtAt);
}

/** Builds web/dist with Vite when it is missing or older than its sources. */
export async function buildWebIfStale(say: (line: string) => void): Promise<void> {
  if (!webBuildIsStale()) return;
  say('Building the web app (web/dist is missing or older than its sources)…');
  const { build } = await import('vite');
  await build({ configFile: join(root, 'web/vite.config.ts'), logLevel: 'warn' });
}
