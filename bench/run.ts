import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { note, parseBenchArgs, report, runBenchProcess } from './support.ts';

/**
 * Runs every `bench/*.bench.ts`, or those named, each in its own process so one benchmark's peak
 * memory cannot show up in another's. Figures go to stdout as one JSON object per line; progress and
 * anything else a benchmark prints go to stderr. Exits 1 when a benchmark fails.
 */

const SUFFIX = '.bench.ts';
const benchDir = fileURLToPath(new URL('.', import.meta.url));

const { rows, engines, names } = parseArgsOrExit();
const available = readdirSync(benchDir)
  .filter((file) => file.endsWith(SUFFIX))
  .map((file) => file.slice(0, -SUFFIX.length))
  .sort();
const wanted = names.map((name) => name.replace(/^.*\//, '').replace(SUFFIX, ''));
const unknown = wanted.filter((name) => !available.includes(name));
if (unknown.length > 0) {
  note(`unknown benchmark ${unknown.join(', ')}; there are: ${available.join(', ')}`);
  process.exit(2);
}

const engineArgs = engines.length === 1 ? ['--engine', engines[0]!] : [];
const failed: string[] = [];
for (const name of wanted.length > 0 ? wanted : available) {
  note(`▶ ${name}: ${rows} rows on ${engines.join(' and ')}`);
  try {
    await runBenchProcess(
      join(benchDir, `${name}${SUFFIX}`),
      ['--rows', String(rows), ...engineArgs],
      report,
    );
  } catch (error) {
    failed.push(`${name} (${(error as Error).message})`);
  }
}
if (failed.length > 0) {
  note(`failed: ${failed.join('; ')}`);
  process.exitCode = 1;
}

function parseArgsOrExit() {
  try {
    return parseBenchArgs(process.argv.slice(2));
  } catch (error) {
    note((error as Error).message);
    process.exit(2);
  }
}
