// Run by `npm test` once before the test files: database templates for every engine in use, and a
// fresh web build for the browser tests (so parallel test files never build it twice at once).
import { buildWebIfStale } from '../../src/cli/web-build.ts';
import { engines, prepareTemplates } from './database.ts';

const started = Date.now();
await prepareTemplates();
await buildWebIfStale((line) => process.stdout.write(`${line}\n`));
process.stdout.write(`test set-up ready for ${engines().join(' and ')} in ${Date.now() - started} ms\n`);
