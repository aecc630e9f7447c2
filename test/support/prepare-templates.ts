// Run by `npm test` before the test files, so that they all start from ready templates.
import { engines, prepareTemplates } from './database.ts';

const started = Date.now();
await prepareTemplates();
process.stdout.write(`database templates ready for ${engines().join(' and ')} in ${Date.now() - started} ms\n`);
