import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Browser, Locator, Page } from 'playwright-core';
import { currentTotp, DEMO_PASSWORD, demoTotpSecret } from '#modules/identity';
import { type RunningEmulator, startEmulator } from '#modules/partner-center';
import type { RunningApp } from '#platform/app';
import { catalogs, type Locale, translator } from '#platform/i18n';
import { type FixedClock, fixedClock } from '#platform/time';
import { eventually, startTestApp } from '#test/app';
import { launchBrowser, screenshot, signInThroughPage } from '#test/browser';
import { type Browserless, signInAsDemo } from '#test/people';
import { buildWebIfStale } from '../../src/cli/web-build.ts';
import { modules } from '../../src/main.ts';

const DIST = fileURLToPath(new URL('../../web/dist/', import.meta.url));
const en = catalogs.en;
/** The demo's Hungarian partner, whose Partner Center is the emulator's Hungarian partner. */
const GLOBAL_ADMIN = 'admin@contoso-hu.example';
const BILLING_ADMIN = 'billing@contoso-hu.example';
/** A customer with Microsoft 365 seats and an Azure plan in use, and its portal users. */
const CUSTOMER = 'Fourth Coffee';
const CUSTOMER_ADMIN = 'it@fourthcoffee.example';
/** A Russian-speaking customer admin of another customer. */
const RUSSIAN_CUSTOMER_ADMIN = 'admin@alpineskihouse.example';
/** The demo's indirect provider, and its Taiwanese reseller (whose admin works in Traditional Chinese). */
const PROVIDER_ADMIN = 'admin@northwind-cloud.example';
const RESELLER_ADMIN = 'admin@tailspin-cloud.example';

/** A subscription as the staff API shows it: only what this test looks at. */
interface SubscriptionView {
  id: string;
  kind: 'new_commerce' | 'azure_plan' | 'legacy';
  friendlyName: string;
  status: string;
  autoRenew: boolean | null;
  commitmentEndDate: string | null;
  microsoftId: string;
  latestChange: { status: string; nextAttemptAt: string | null } | null;
}

/** Term ends are calendar days: the page shows them as the UTC day, in its language. */
const calendarDay = (locale: Locale, iso: string) =>
  new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(iso));

/** Waits for the page's fonts, so a screenshot shows the real typefaces. */
const fontsSettled = (page: Page) => page.evaluate(() => document.fonts.ready.then(() => undefined));

describe('customers and subscriptions in the browser', { timeout: 240_000 }, () => {
  let emulator: RunningEmulator;
  let app: RunningApp;
  let clock: FixedClock;
  let browser: Browser;
  let origin: string;
  /** The Billing admin's page, in English. */
  let page: Page;
  let api: Browserless;

  /** A new browser page signed in as a demo person (a TOTP code when asked). */
  async function signedInPage(email: string, locale = 'en-US'): Promise<Page> {
    const context = await browser.newContext({ locale, viewport: { width: 1280, height: 900 } });
    const fresh = await context.newPage();
    await signInThroughPage(fresh, origin, email, DEMO_PASSWORD, () => {
      clock.advance(30_000);
      return currentTotp(demoTotpSecret(email), clock.now());
    });
    return fresh;
  }

  before(async () => {
    await buildWebIfStale(() => {});
    emulator = await startEmulator({ port: 0 });
    // Close to the real time: the emulator's tokens and dates follow the machine's clock.
    clock = fixedClock(new Date());
    app = await startTestApp({
      engine: 'pglite',
      modules,
      listen: true,
      webDist: DIST,
      clock,
      config: { loadDemoData: true },
    });
    origin = app.url!;
    const seeded = emulator.admin.credentials.find((entry) => entry.key === 'contoso-hu');
    assert.ok(seeded, 'the emulator seeds the Hungarian partner');
    api = await signInAsDemo(app, GLOBAL_ADMIN);
    const saved = await api.request('PUT', '/api/v1/partner/connections/public', {
      tenantId: seeded.tenantId,
      clientId: seeded.clientId,
      clientSecret: seeded.clientSecret,
      refreshToken: seeded.refreshToken,
      baseUrl: emulator.url,
      authority: emulator.url,
    });
    assert.equal(saved.statusCode, 200, saved.body);
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await app?.close();
    await emulator?.close();
  });

  /** The customer's subscriptions as the API has them now. */
  async function subscriptionsOf(customerId: string): Promise<SubscriptionView[]> {
    const response = await api.request('GET', `/api/v1/customers/${customerId}/subscriptions`);
    assert.equal(response.statusCode, 200, response.body);
    return response.json().items;
  }

  const rowOf = (subscription: SubscriptionView): Locator =>
    page.locator(`[data-testid="subscription-row"][data-subscription-id="${subscription.id}"]`);

  async function waitForText(locator: Locator, text: string) {
    await locator.filter({ hasText: text }).waitFor();
  }

  it('settings › a Global admin (in Hungarian) syncs by hand and sees the run with what it counted', async () => {
    const hu = translator('hu');
    const admin = await signedInPage(GLOBAL_ADMIN);
    // Her own language setting, whatever the browser says.
    await admin.locator('html[lang="hu"]').waitFor({ state: 'attached' });
    await admin.goto(`${origin}/staff/settings`);
    const sync = admin.getByTestId('sync-public');
    await sync.getByTestId('sync-now').click();
    await sync.locator('[data-testid="sync-last"][data-status="succeeded"]').waitFor({ timeout: 60_000 });
    const runs = await api.request('GET', '/api/v1/partner-center/syncs?cloud=public&limit=1');
    const [run] = runs.json().items;
    assert.equal(run.status, 'succeeded');
    assert.ok(run.counts.customersCreated > 0, 'customers came from Partner Center');
    const shown = (await sync.getByTestId('sync-last').textContent()) ?? '';
    assert.ok(
      shown.includes(hu('sync.count', { outcome: 'created', count: run.counts.customersCreated })),
      `the customers the run added, in: ${shown}`,
    );
    await sync.scrollIntoViewIfNeeded();
    await fontsSettled(admin);
    await screenshot(admin, 'customers-sync-status-hu');
    await admin.context().close();
  });

  let customerId: string;

  it('customers › a Billing admin sees the synced customers; a search narrows the list and a row opens the customer', async () => {
    page = await signedInPage(BILLING_ADMIN);
    await page.getByTestId('nav-customers').click();
    await page.getByTestId('customer-table').waitFor();
    assert.match((await page.getByTestId('last-sync').textContent()) ?? '', /last synced/);
    assert.equal(
      await page.getByTestId('nav-reseller-requests').count(),
      0,
      'a direct partner has no resellers, so no resellers’ requests page',
    );
    const listed = await page.getByTestId('customer-row').count();
    assert.ok(listed > 1, 'several customers came from Partner Center');
    await fontsSettled(page);
    await screenshot(page, 'customers-list');

    await page.getByTestId('customer-search').fill('fourth');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="customer-row"]').length === 1);
    const row = page.getByTestId('customer-row');
    assert.match((await row.textContent()) ?? '', new RegExp(CUSTOMER));
    assert.match((await row.textContent()) ?? '', /Synced/, 'linked to its tenant by the sync');
    await row.getByRole('link').click();
    await page.waitForURL(/\/staff\/customers\/[0-9a-f-]{36}$/);
    customerId = new URL(page.url()).pathname.split('/').pop()!;
    await page
      .getByTestId('customer-header')
      .getByRole('heading', { name: new RegExp(CUSTOMER) })
      .waitFor();
    await page.getByTestId('subscription-table').first().waitFor();
    const facts = await page.getByTestId('tenant-facts').textContent();
    assert.match(facts ?? '', /hu-HU/, 'the billing culture from Partner Center');
    assert.match(facts ?? '', /Budapest/, 'the address from Partner Center');
    await fontsSettled(page);
    await screenshot(page, 'customers-detail');
  });

  it('customers › an address naming no customer of this partner shows "not found"', async () => {
    for (const id of ['00000000-0000-4000-8000-000000000000', 'not-a-customer']) {
      await page.goto(`${origin}/staff/customers/${id}`);
      assert.equal(await page.getByTestId('not-found').textContent(), en['common.notFound']);
    }
    await page.goto(`${origin}/staff/customers/${customerId}`);
    await page.getByTestId('subscription-table').waitFor();
  });

  it('a new-commerce subscription › suspending warns that Microsoft keeps billing until the term ends, saves auto-renew, and reactivating restores it', async () => {
    const seats = (await subscriptionsOf(customerId)).find(
      (subscription) =>
        subscription.kind === 'new_commerce' && subscription.status === 'active' && subscription.autoRenew,
    );
    assert.ok(seats?.commitmentEndDate, 'an active new-commerce subscription with auto-renew on');
    const row = rowOf(seats);
    await row.getByTestId('subscription-suspend').click();

    const dialog = page.getByTestId('access-dialog');
    const warning = page.getByTestId('billing-warning');
    await warning.waitFor();
    const warned = (await warning.textContent()) ?? '';
    assert.match(warned, new RegExp(en['subscriptions.suspend.billingTitle']!));
    assert.ok(
      warned.includes(`billed until ${calendarDay('en', seats.commitmentEndDate)}`),
      `the term end date in: ${warned}`,
    );
    assert.ok(warned.includes(en['subscriptions.suspend.saved']!), 'auto-renew is saved and restored');
    await screenshot(page, 'customers-suspend-dialog');
    await page.getByTestId('access-confirm').click();
    await dialog.waitFor({ state: 'detached' });

    await page.locator('[data-testid="change-outcome"][data-status="succeeded"]').waitFor();
    await waitForText(row.getByTestId('subscription-status'), 'Suspended');
    await row.locator('[data-testid="subscription-auto-renew"][data-auto-renew="false"]').waitFor();
    assert.equal(
      await row.getByTestId('subscription-auto-renew-saved').textContent(),
      'Will be restored: on',
    );
    assert.equal(
      await row.getByTestId('subscription-billed-until').textContent(),
      `Microsoft bills until ${calendarDay('en', seats.commitmentEndDate)}`,
    );
    // What Partner Center itself (the emulator) now holds for the subscription.
    const upstream = () =>
      emulator.admin
        .state()
        .subscriptions.find(
          (entry) => entry.subscription.id.toLowerCase() === seats.microsoftId.toLowerCase(),
        )?.subscription;
    assert.equal(upstream()?.status, 'suspended', 'Partner Center has it suspended');
    await row.scrollIntoViewIfNeeded();
    await screenshot(page, 'customers-suspended-row');

    await row.getByTestId('subscription-reactivate').click();
    await page.getByTestId('restore-list').waitFor();
    assert.match((await page.getByTestId('restore-list').textContent()) ?? '', /auto-renew goes back on/);
    await page.getByTestId('access-confirm').click();
    await dialog.waitFor({ state: 'detached' });
    await waitForText(row.getByTestId('subscription-status'), 'Active');
    await row.locator('[data-testid="subscription-auto-renew"][data-auto-renew="true"]').waitFor();
    assert.equal(await row.getByTestId('subscription-auto-renew-saved').count(), 0);
    assert.equal(upstream()?.status, 'active');
    assert.equal(upstream()?.autoRenewEnabled, true, 'Partner Center has auto-renew on again');
  });

  it("an Azure plan in use › Microsoft's refusal 900115 is shown with its reason and what to do", async () => {
    const plan = (await subscriptionsOf(customerId)).find(
      (subscription) => subscription.kind === 'azure_plan' && subscription.status === 'active',
    );
    assert.ok(plan, 'an active Azure plan');
    const row = rowOf(plan);
    await row.getByTestId('subscription-suspend').click();
    await page.getByTestId('azure-plan-note').waitFor();
    await page.getByTestId('access-confirm').click();

    const refusal = page.locator('[data-testid="change-outcome"][data-status="failed"]');
    await refusal.waitFor();
    assert.match((await refusal.getByTestId('change-reason').textContent()) ?? '', /\(900115\): .*Azure/);
    assert.equal(
      await refusal.getByTestId('change-advice').textContent(),
      `What to do: ${en['subscriptions.advice.code900115']}`,
    );
    await waitForText(row.getByTestId('subscription-status'), 'Active');
    await screenshot(page, 'customers-refusal');
  });

  it('a whole customer › "Suspend all" lists every term end, runs as a job with a progress bar, and "Reactivate all" undoes it', async () => {
    await page.goto(`${origin}/staff/customers`);
    await page.getByTestId('customer-search').fill('wingtip');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="customer-row"]').length === 1);
    await page.getByTestId('customer-row').getByRole('link').click();
    await page.getByTestId('subscription-table').waitFor();
    const wingtipId = new URL(page.url()).pathname.split('/').pop()!;
    const active = (await subscriptionsOf(wingtipId)).filter(
      (subscription) => subscription.status === 'active',
    );
    assert.ok(active.length > 1, 'several active subscriptions');

    await page.getByTestId('suspend-all').click();
    const warning = page.getByTestId('billing-warning');
    await warning.waitFor();
    for (const subscription of active) {
      assert.ok(
        ((await warning.textContent()) ?? '').includes(
          `${subscription.friendlyName}: billed until ${calendarDay('en', subscription.commitmentEndDate!)}`,
        ),
        `the term end of ${subscription.friendlyName}`,
      );
    }
    await page.getByTestId('access-confirm').click();
    const batch = page.getByTestId('batch-result');
    await batch.getByTestId('batch-progress').waitFor();
    await page.locator('[data-testid="batch-result"][data-finished="true"]').waitFor({ timeout: 30_000 });
    await waitForText(batch, `Done: ${active.length} of ${active.length}`);
    for (const subscription of active)
      await waitForText(rowOf(subscription).getByTestId('subscription-status'), 'Suspended');
    await page.getByTestId('subscription-table').scrollIntoViewIfNeeded();
    await screenshot(page, 'customers-batch-suspended');

    await page.getByTestId('reactivate-all').click();
    await page.getByTestId('access-confirm').click();
    await page.locator('[data-testid="batch-result"][data-finished="true"]').waitFor({ timeout: 30_000 });
    for (const subscription of active) {
      await waitForText(rowOf(subscription).getByTestId('subscription-status'), 'Active');
      await rowOf(subscription).locator('[data-auto-renew="true"]').waitFor();
    }
  });

  it('in Hungarian › the list, the customer and the suspend dialog are translated', async () => {
    const hu = catalogs.hu;
    await page.goto(`${origin}/staff/customers/${customerId}`);
    await page.getByTestId('subscription-table').waitFor();
    await page.getByTestId('language-switcher').selectOption('hu');
    await page.locator('html[lang="hu"]').waitFor({ state: 'attached' });
    await page.getByRole('heading', { name: hu['customers.facts.title'] }).waitFor();
    await fontsSettled(page);
    await screenshot(page, 'customers-detail-hu');

    const seats = (await subscriptionsOf(customerId)).find(
      (subscription) => subscription.kind === 'new_commerce' && subscription.status === 'active',
    );
    assert.ok(seats?.commitmentEndDate);
    await rowOf(seats).getByTestId('subscription-suspend').click();
    const warning = page.getByTestId('billing-warning');
    await waitForText(warning, hu['subscriptions.suspend.billingTitle']!);
    assert.ok(
      ((await warning.textContent()) ?? '').includes(calendarDay('hu', seats.commitmentEndDate)),
      'the term end date in Hungarian',
    );
    await screenshot(page, 'customers-suspend-dialog-hu');
    await page.getByRole('button', { name: hu['subscriptions.action.back'] }).click();

    await page.goto(`${origin}/staff/customers`);
    await page.getByTestId('customer-table').waitFor();
    await page.getByRole('heading', { name: hu['customers.title'] }).waitFor();
    await fontsSettled(page);
    await screenshot(page, 'customers-list-hu');
  });

  it('in Simplified Chinese › the customer page is drawn in Noto Sans SC', async () => {
    const zhHans = catalogs['zh-Hans'];
    await page.goto(`${origin}/staff/customers/${customerId}`);
    await page.getByTestId('language-switcher').selectOption('zh-Hans');
    await page.getByRole('heading', { name: zhHans['customers.facts.title'] }).waitFor();
    await page.getByTestId('subscription-table').waitFor();
    const font = await page
      .getByTestId('subscription-table')
      .evaluate((table) => getComputedStyle(table).fontFamily);
    assert.match(font, /^"?Noto Sans SC"?,/);
    await page.getByTestId('subscriptions').scrollIntoViewIfNeeded();
    await fontsSettled(page);
    await screenshot(page, 'customers-detail-zh-Hans');
  });

  it('Microsoft busy › a 409 (800082) leaves the change waiting, to be retried automatically at the time shown', async () => {
    await page.goto(`${origin}/staff/customers/${customerId}`);
    await page.getByTestId('language-switcher').selectOption('en');
    await page.getByRole('heading', { name: en['customers.facts.title'] }).waitFor();
    const busy = (await subscriptionsOf(customerId)).find(
      (subscription) => subscription.kind === 'new_commerce' && subscription.status === 'active',
    );
    assert.ok(busy);
    assert.ok(emulator.admin.setPendingOperation(busy.microsoftId, '800082'));
    // Later than the changes before it (the test clock stands still): this one is the row's latest.
    clock.advance(60_000);
    await rowOf(busy).getByTestId('subscription-suspend').click();
    await page.getByTestId('access-confirm').click();

    const waiting = page.locator('[data-testid="change-outcome"][data-status="waiting"]');
    await waiting.waitFor();
    const after = (await subscriptionsOf(customerId)).find((subscription) => subscription.id === busy.id);
    const retryAt = after?.latestChange?.nextAttemptAt;
    assert.ok(retryAt, 'the change waits for a next attempt');
    assert.equal(
      await waiting.textContent(),
      translator('en')('subscriptions.outcome.waiting', { name: busy.friendlyName, at: new Date(retryAt) }),
    );
    // Asking again would only find the waiting change.
    assert.equal(await rowOf(busy).getByTestId('subscription-suspend').isDisabled(), true);
    await screenshot(page, 'customers-waiting');
  });

  it('an indirect reseller › its suspend is sent to its provider, who carries it out from the reseller requests page', async () => {
    // The provider's Partner Center lists its resellers' customers; the sync gives each to its reseller.
    const seeded = emulator.admin.credentials.find((entry) => entry.key === 'northwind-us');
    assert.ok(seeded, 'the emulator seeds the US indirect provider');
    const provider = await signInAsDemo(app, PROVIDER_ADMIN);
    const saved = await provider.request('PUT', '/api/v1/partner/connections/public', {
      tenantId: seeded.tenantId,
      clientId: seeded.clientId,
      clientSecret: seeded.clientSecret,
      refreshToken: seeded.refreshToken,
      baseUrl: emulator.url,
      authority: emulator.url,
    });
    assert.equal(saved.statusCode, 200, saved.body);
    const started = await provider.request('POST', '/api/v1/partner-center/syncs', { cloud: 'public' });
    assert.equal(started.statusCode, 202, started.body);
    const runId = started.json().sync.id;
    await eventually(
      'the provider sync to finish',
      async () => {
        const run = (await provider.request('GET', `/api/v1/partner-center/syncs/${runId}`)).json();
        return run.status !== 'running' && run;
      },
      60_000,
    );

    const zhHant = translator('zh-Hant');
    const reseller = await signedInPage(RESELLER_ADMIN);
    await reseller.locator('html[lang="zh-Hant"]').waitFor({ state: 'attached' });
    await reseller.goto(`${origin}/staff/customers`);
    await reseller.getByTestId('customer-search').fill('wwimporters');
    await reseller.waitForFunction(
      () => document.querySelectorAll('[data-testid="customer-row"]').length === 1,
    );
    await reseller.getByTestId('customer-row').getByRole('link').click();
    const row = reseller
      .getByTestId('subscription-row')
      .filter({ has: reseller.getByTestId('subscription-suspend') })
      .first();
    await row.waitFor();
    const name = (await row.getByTestId('subscription-name').textContent()) ?? '';
    await row.getByTestId('subscription-suspend').click();
    // The names the reseller's own settings give: its own, and its provider's.
    const resellerSettings = (
      await (await signInAsDemo(app, RESELLER_ADMIN)).request('GET', '/api/v1/partner')
    ).json();
    const providerName: string = resellerSettings.providers[0].displayName;
    await reseller
      .getByRole('dialog')
      .getByText(zhHant('subscriptions.confirm.viaProvider', { provider: providerName }))
      .waitFor();
    await reseller.getByTestId('access-confirm').click();
    const sent = reseller.locator('[data-testid="change-outcome"][data-status="requested"]');
    await sent.waitFor();
    assert.equal(
      await sent.textContent(),
      zhHant('subscriptions.outcome.requested', { provider: providerName }),
    );
    await fontsSettled(reseller);
    await screenshot(reseller, 'customers-reseller-request-zh-Hant');

    const providerPage = await signedInPage(PROVIDER_ADMIN);
    await providerPage.getByTestId('nav-reseller-requests').click();
    const request = providerPage.getByTestId('reseller-request').filter({ hasText: name });
    await request.waitFor();
    assert.ok(
      ((await request.textContent()) ?? '').includes(resellerSettings.displayName),
      'the reseller named',
    );
    await screenshot(providerPage, 'customers-reseller-requests');
    await request.getByTestId('carry-out').click();
    await providerPage.locator('[data-testid="change-outcome"][data-status="succeeded"]').waitFor();
    await providerPage
      .getByTestId('reseller-request')
      .filter({ hasText: name })
      .waitFor({ state: 'detached' });
    await providerPage.context().close();

    await reseller.reload();
    const done = reseller.getByTestId('subscription-row').filter({ hasText: name });
    await waitForText(
      done.getByTestId('subscription-status'),
      zhHant('subscriptions.status', { status: 'suspended' }),
    );
    await reseller.context().close();
  });

  it('portal › a customer admin reads the same subscriptions, without the buttons; in Russian for a Russian-speaking admin', async () => {
    const expected = (await subscriptionsOf(customerId))
      .map((subscription) => subscription.friendlyName)
      .sort();
    const portal = await signedInPage(CUSTOMER_ADMIN);
    await portal.getByTestId('portal-nav-subscriptions').click();
    await portal.getByTestId('subscription-table').waitFor();
    const names = await portal.getByTestId('subscription-name').allTextContents();
    assert.deepEqual(names.sort(), expected);
    assert.equal(await portal.getByTestId('subscription-suspend').count(), 0, 'customers cannot suspend');
    await screenshot(portal, 'customers-portal-subscriptions');
    await portal.context().close();

    const russian = await signedInPage(RUSSIAN_CUSTOMER_ADMIN);
    await russian.locator('html[lang="ru"]').waitFor({ state: 'attached' });
    await russian.goto(`${origin}/portal/subscriptions`);
    await russian.getByRole('heading', { name: catalogs.ru['subscriptions.portal.title'] }).waitFor();
    await russian.getByTestId('subscription-table').waitFor();
    await fontsSettled(russian);
    await screenshot(russian, 'customers-portal-subscriptions-ru');
    await russian.context().close();
  });
});
