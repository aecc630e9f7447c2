import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fixedClock } from '#platform/time';
import { type EmulatorOptions, type RunningEmulator, startEmulator } from './server.ts';
import { appOnlyToken, appUserToken, partnerCenter } from './test-helpers.ts';

interface SubscriptionBody {
  [name: string]: unknown;
  id: string;
  status: string;
  creationDate: string;
  attributes: { etag: string };
}

const DAY = 86_400_000;

describe('emulator › its own database', () => {
  const clock = fixedClock('2025-03-10T09:00:00Z');
  let dataDir: string;
  let emulator: RunningEmulator | undefined;
  const start = async (options: EmulatorOptions = {}) => {
    emulator = await startEmulator({ clock, dataDir, ...options });
    return emulator;
  };
  const restart = async (options: EmulatorOptions = {}) => {
    await emulator?.close();
    // Another day: anything seeded again would carry other dates.
    clock.advance(DAY);
    return start(options);
  };

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'partnerdesk-emulator-'));
  });
  after(async () => {
    await emulator?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  /** The first active new-commerce subscription of the first partner. */
  function activeSubscription(running: RunningEmulator) {
    const state = running.admin.state();
    const tenantId = running.admin.credentials[0]!.tenantId;
    const customers = new Set(
      state.customers
        .filter((customer) => customer.partnerTenantId === tenantId)
        .map((customer) => customer.id),
    );
    const entry = state.subscriptions.find(
      (candidate) =>
        customers.has(candidate.customerId) &&
        candidate.kind === 'new-commerce' &&
        candidate.subscription.status === 'active',
    )!;
    return `/v1/customers/${entry.customerId}/subscriptions/${entry.subscription.id}`;
  }

  const tokenResponse = (running: RunningEmulator, partner: number, refreshToken: string) => {
    const credentials = running.admin.credentials[partner]!;
    return fetch(`${running.url}/${credentials.tenantId}/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: refreshToken,
        client_id: credentials.clientId,
        client_secret: credentials.clientSecret,
        resource: 'https://api.partnercenter.microsoft.com',
      }),
    });
  };

  let path: string;
  let suspended: SubscriptionBody;
  let rotatedRefreshToken: string;
  let serviceRequestId: string;

  it('first start › seeds the folder', async () => {
    const running = await start();
    assert.match(running.storage, /^embedded PGlite in .*partnerdesk-emulator-.*seeded from "partnerdesk"/);

    // Changes made through HTTP: a suspension, a revoked consent, a rotated refresh token, a new case.
    path = activeSubscription(running);
    const call = partnerCenter(running, await appOnlyToken(running));
    const read = (await (await call(path)).json()) as SubscriptionBody;
    const patched = await call(path, {
      method: 'PATCH',
      headers: { 'If-Match': read.attributes.etag },
      body: { ...read, status: 'suspended' },
    });
    assert.equal(patched.status, 200);
    suspended = (await patched.json()) as SubscriptionBody;
    assert.equal(suspended.status, 'suspended');

    const revoked = await fetch(`${running.url}/_emulator/refresh-tokens/revoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ refreshToken: running.admin.credentials[1]!.refreshToken }),
    });
    assert.equal(revoked.status, 204);

    const redeemed = await tokenResponse(running, 0, running.admin.credentials[0]!.refreshToken);
    assert.equal(redeemed.status, 200);
    rotatedRefreshToken = ((await redeemed.json()) as { refresh_token: string }).refresh_token;

    const customerId = path.split('/')[3]!;
    const opened = await fetch(`${running.url}/_emulator/service-requests`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ customerId, title: 'Mailbox migration stuck' }),
    });
    assert.equal(opened.status, 201);
    serviceRequestId = ((await opened.json()) as { id: string }).id;
  });

  it('restart › what was changed is still there, dates and all', async () => {
    const running = await restart();
    assert.match(running.storage, /saved state restored/);

    const call = partnerCenter(running, await appOnlyToken(running));
    const read = await call(path);
    assert.equal(read.status, 200);
    const again = (await read.json()) as SubscriptionBody;
    assert.equal(again.status, 'suspended');
    assert.equal(again.attributes.etag, suspended.attributes.etag);
    assert.equal(again.creationDate, suspended.creationDate, 'the date of the first start, not re-seeded');

    const audit = await call('/v1/auditrecords');
    assert.equal(audit.status, 200);
    const records = ((await audit.json()) as { items: Array<{ operationType: string }> }).items;
    assert.deepEqual(
      records.map((record) => record.operationType),
      ['update_subscription'],
    );

    const refused = await tokenResponse(running, 1, running.admin.credentials[1]!.refreshToken);
    assert.equal(refused.status, 400);
    assert.deepEqual(((await refused.json()) as { error_codes: number[] }).error_codes, [50173]);

    const renewed = await tokenResponse(running, 0, rotatedRefreshToken);
    assert.equal(renewed.status, 200, 'a refresh token issued before the restart still works');

    const caseRead = await partnerCenter(
      running,
      await appUserToken(running),
    )(`/v1/servicerequests/${serviceRequestId}`);
    assert.equal(caseRead.status, 200);
    assert.equal(((await caseRead.json()) as { title: string }).title, 'Mailbox migration stuck');
  });

  it('in-process admin changes › are written when the emulator closes', async () => {
    const running = emulator!;
    const subscriptionId = path.split('/').at(-1)!;
    assert.ok(running.admin.setPendingOperation(subscriptionId, '800082'));
    const restarted = await restart();
    const entry = restarted.admin
      .state()
      .subscriptions.find((candidate) => candidate.subscription.id === subscriptionId);
    assert.equal(entry?.pendingOperation, '800082');
  });

  it('reset › back to the seed: the subscription active, the consent valid again', async () => {
    const running = await restart({ reset: true });
    assert.match(running.storage, /seeded from "partnerdesk"/);
    const call = partnerCenter(running, await appOnlyToken(running));
    const read = (await (await call(path)).json()) as SubscriptionBody;
    assert.equal(read.status, 'active');
    assert.notEqual(read.creationDate, suspended.creationDate, 'seeded again, relative to today');
    const accepted = await tokenResponse(running, 1, running.admin.credentials[1]!.refreshToken);
    assert.equal(accepted.status, 200);
    const forgotten = await tokenResponse(running, 0, rotatedRefreshToken);
    assert.equal(forgotten.status, 400);

    const restarted = await restart();
    assert.match(restarted.storage, /saved state restored/, 'the reset state is the saved one now');
  });

  it('another seed › the saved state is not restored into it', async () => {
    const running = await restart({ seed: 'another' });
    assert.match(running.storage, /seeded from "another"/);
  });
});
