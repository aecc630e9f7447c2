import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { configVariables, loadConfig } from './index.ts';

describe('config', () => {
  it('defaults › make a fresh machine work: embedded database in ./data, port 3000, demo data on', () => {
    const config = loadConfig({}, '/srv/partnerdesk');
    assert.equal(config.dataDir, '/srv/partnerdesk/data');
    assert.equal(config.databaseUrl, undefined);
    assert.equal(config.smtpUrl, undefined);
    assert.equal(config.host, '127.0.0.1');
    assert.equal(config.port, 3000);
    assert.equal(config.publicUrl, 'http://127.0.0.1:3000');
    assert.equal(config.runJobs, true);
    assert.equal(config.loadDemoData, true);
    assert.equal(config.runEmulator, true);
    assert.equal(config.emulatorPort, 4010);
  });

  it('EMULATOR=off and EMULATOR_PORT=0 › no in-process emulator; any free port', () => {
    const config = loadConfig({ EMULATOR: 'off', EMULATOR_PORT: '0' });
    assert.equal(config.runEmulator, false);
    assert.equal(config.emulatorPort, 0);
  });

  const bad: [string, string, RegExp][] = [
    ['PORT', '70000', /PORT must be a port number/],
    ['PORT', '3000abc', /PORT must be a port number/],
    ['DATABASE_URL', 'mysql://x@y/z', /DATABASE_URL must start with postgres: or postgresql:/],
    ['DATABASE_URL', 'not a url', /DATABASE_URL is not a valid URL/],
    ['SMTP_URL', 'http://mail', /SMTP_URL must start with smtp: or smtps:/],
    ['LOG_LEVEL', 'loud', /LOG_LEVEL must be one of/],
    ['RUN_JOBS', 'maybe', /RUN_JOBS must be true or false/],
    ['EMULATOR', 'sometimes', /EMULATOR must be true or false/],
    ['EMULATOR_PORT', '-1', /EMULATOR_PORT must be a port number/],
    ['PARTNERDESK_SECRET_KEY', 'c2hvcnQ=', /PARTNERDESK_SECRET_KEY must be 32 bytes/],
    ['MAIL_FROM', 'nobody', /MAIL_FROM must be an e-mail address/],
  ];
  for (const [name, value, message] of bad) {
    it(`a bad ${name} (${value}) › stops start-up with an error naming the variable`, () => {
      assert.throws(
        () => loadConfig({ [name]: value }),
        (error: Error & { location?: { field?: string } }) =>
          message.test(error.message) && error.location?.field === name,
      );
    });
  }

  it('the README table › lists every variable the loader reads', async () => {
    const source = await import('node:fs').then((fs) =>
      fs.readFileSync(new URL('./index.ts', import.meta.url), 'utf8'),
    );
    const read = new Set([...source.matchAll(/\((?:env, )?'([A-Z_]+)'/g)].map((match) => match[1]));
    const documented = new Set(configVariables.map((variable) => variable.name));
    assert.deepEqual(
      [...read].filter((name) => !documented.has(name!)),
      [],
    );
    const readme = await import('node:fs').then((fs) =>
      fs.readFileSync(new URL('../../../README.md', import.meta.url), 'utf8'),
    );
    for (const name of documented)
      assert.match(readme, new RegExp(`\\| \`${name}\` \\|`), `README lists ${name}`);
  });
});
