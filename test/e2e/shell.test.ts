import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { currentTotp, DEMO_PASSWORD, demoTotpSecret } from '#modules/identity';
import type { RunningApp } from '#platform/app';
import { catalogs, type Locale } from '#platform/i18n';
import { fixedClock } from '#platform/time';
import { startTestApp } from '#test/app';
import { launchBrowser, screenshot, signInThroughPage } from '#test/browser';
import { buildWebIfStale } from '../../src/cli/web-build.ts';
import { modules } from '../../src/main.ts';

const DIST = fileURLToPath(new URL('../../web/dist/', import.meta.url));

const STAFF_NAV = [
  'nav.dashboard',
  'nav.customers',
  'nav.subscriptions',
  'nav.resellerRequests',
  'nav.tickets',
  'nav.escalations',
  'nav.vendorBills',
  'nav.invoices',
  'nav.payments',
  'nav.collections',
  'nav.supportPlans',
  'nav.knowledge',
  'nav.users',
  'nav.audit',
  'nav.settings',
];
const PORTAL_NAV = [
  'portal.nav.home',
  'portal.nav.tickets',
  'portal.nav.invoices',
  'portal.nav.subscriptions',
  'portal.nav.knowledge',
  'identity.nav.portalUsers',
  'portal.nav.account',
];

async function catalog(locale: Locale): Promise<Record<string, string>> {
  return catalogs[locale];
}

/** Waits until the page's font loads are done, so a screenshot shows the real typefaces. */
async function fontsSettled(page: Page): Promise<void> {
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
}

/** How many faces of `family` the page has loaded (not merely declared). */
function loadedFaces(page: Page, family: string): Promise<number> {
  return page.evaluate(
    (wanted) =>
      [...document.fonts].filter(
        (face) => face.family.replaceAll('"', '') === wanted && face.status === 'loaded',
      ).length,
    family,
  );
}

describe('web shell', { timeout: 120_000 }, () => {
  let browser: Browser;
  let server: RunningApp;
  let origin: string;
  let staff: Page;
  const offHostRequests: string[] = [];
  const pageErrors: string[] = [];

  async function newContext(locale: string): Promise<BrowserContext> {
    const context = await browser.newContext({ locale, viewport: { width: 1280, height: 800 } });
    context.on('request', (request) => {
      if (!request.url().startsWith(origin) && !request.url().startsWith('data:')) {
        offHostRequests.push(request.url());
      }
    });
    context.on('weberror', (error) => pageErrors.push(String(error.error())));
    return context;
  }

  before(async () => {
    // Self-contained: a fresh clone has no web/dist, and an edited web/src must not be tested stale.
    await buildWebIfStale(() => {});
    // The real server: the web app at /, the API beside it, security headers as in production.
    const clock = fixedClock('2026-11-23T09:00:00Z');
    server = await startTestApp({
      engine: 'pglite',
      modules,
      listen: true,
      webDist: DIST,
      clock,
      config: { loadDemoData: true },
    });
    origin = server.url!;
    browser = await launchBrowser();
    // A Global admin sees the whole navigation.
    staff = await (await newContext('en-US')).newPage();
    await staff.goto(`${origin}/`);
    await staff.waitForURL(/\/sign-in/);
    await signInThroughPage(staff, origin, 'admin@northwind-cloud.example', DEMO_PASSWORD, () => {
      clock.advance(30_000);
      return currentTotp(demoTotpSecret('admin@northwind-cloud.example'), clock.now());
    });
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it('staff console › an English browser gets the English console and navigation', async () => {
    const en = await catalog('en');
    await staff.goto(`${origin}/`);
    await staff.getByRole('heading', { name: en['home.staff.title'] }).waitFor();
    assert.equal(await staff.locator('html').getAttribute('lang'), 'en');
    assert.deepEqual(
      await staff.getByTestId('staff-nav').locator('a').allTextContents(),
      STAFF_NAV.map((key) => en[key]),
    );
    assert.equal(await staff.getByTestId('nav-dashboard').getAttribute('aria-current'), 'page');
    await fontsSettled(staff);
    await screenshot(staff, 'shell-en');
  });

  it('staff console › choosing Русский translates the navigation and sets <html lang="ru">', async () => {
    const [en, ru] = await Promise.all([catalog('en'), catalog('ru')]);
    await staff.getByRole('combobox', { name: en['shell.language'] }).selectOption('ru');
    await staff.locator('html[lang="ru"]').waitFor({ state: 'attached' });
    assert.deepEqual(
      await staff.getByTestId('staff-nav').locator('a').allTextContents(),
      STAFF_NAV.map((key) => ru[key]),
    );
    assert.equal(
      await staff.getByTestId('language-switcher').getAttribute('aria-label'),
      ru['shell.language'],
    );
    await fontsSettled(staff);
    await screenshot(staff, 'shell-ru');
  });

  it('staff console › Simplified Chinese is drawn in Noto Sans SC and kept after a reload', async () => {
    const zhHans = await catalog('zh-Hans');
    await staff.getByTestId('language-switcher').selectOption('zh-Hans');
    await staff.locator('html[lang="zh-Hans"]').waitFor({ state: 'attached' });
    await staff.reload();
    await staff.getByRole('heading', { name: zhHans['home.staff.title'] }).waitFor();
    assert.equal(await staff.locator('html').getAttribute('lang'), 'zh-Hans');
    assert.deepEqual(
      await staff.getByTestId('staff-nav').locator('a').allTextContents(),
      STAFF_NAV.map((key) => zhHans[key]),
    );
    await fontsSettled(staff);
    const navFont = await staff
      .getByTestId('nav-customers')
      .evaluate((link) => getComputedStyle(link).fontFamily);
    assert.match(navFont, /^"?Noto Sans SC"?,/);
    assert.ok((await loadedFaces(staff, 'Noto Sans SC')) > 0, 'no Noto Sans SC face was loaded');
    assert.equal(
      await loadedFaces(staff, 'Noto Sans TC'),
      0,
      'a Simplified Chinese page loaded Noto Sans TC',
    );
    await screenshot(staff, 'shell-zh-Hans');
  });

  it('staff console › a navigation item whose page is not built yet leads to the not-found page', async () => {
    const zhHans = await catalog('zh-Hans');
    await staff.getByTestId('nav-tickets').click();
    await staff.getByTestId('not-found').waitFor();
    assert.equal(await staff.getByTestId('not-found').textContent(), zhHans['common.notFound']);
    assert.equal(new URL(staff.url()).pathname, '/staff/tickets');
    assert.equal(await staff.getByTestId('nav-tickets').getAttribute('aria-current'), 'page');
    await staff.goBack();
    await staff.getByRole('heading', { name: zhHans['home.staff.title'] }).waitFor();
  });

  it('staff console › the theme toggle switches to dark and the choice is kept after a reload', async () => {
    const zhHans = await catalog('zh-Hans');
    const scheme = () => staff.locator('html').getAttribute('data-mantine-color-scheme');
    assert.equal(await scheme(), 'light');
    await staff.getByRole('button', { name: zhHans['shell.theme.toggle'] }).click();
    await staff.locator('html[data-mantine-color-scheme="dark"]').waitFor({ state: 'attached' });
    await staff.reload();
    await staff.getByTestId('staff-nav').waitFor();
    assert.equal(await scheme(), 'dark');
    await fontsSettled(staff);
    await screenshot(staff, 'shell-dark');
  });

  it('customer portal › a zh-TW browser gets the portal in Traditional Chinese, drawn in Noto Sans TC', async () => {
    const zhHant = await catalog('zh-Hant');
    const context = await newContext('zh-TW');
    const portal = await context.newPage();
    await portal.goto(`${origin}/portal`);
    await portal.waitForURL(/\/sign-in/);
    await signInThroughPage(portal, origin, 'it@wideworldimporters.example', DEMO_PASSWORD);
    await portal.getByRole('heading', { name: zhHant['shell.customerPortal'] }).waitFor();
    assert.equal(await portal.locator('html').getAttribute('lang'), 'zh-Hant');
    assert.deepEqual(
      await portal.getByTestId('portal-nav').locator('a').allTextContents(),
      PORTAL_NAV.map((key) => zhHant[key]),
    );
    assert.equal(await portal.getByTestId('portal-nav-home').getAttribute('aria-current'), 'page');
    assert.equal(await portal.getByTestId('staff-nav').count(), 0);
    await fontsSettled(portal);
    assert.ok((await loadedFaces(portal, 'Noto Sans TC')) > 0, 'no Noto Sans TC face was loaded');
    await screenshot(portal, 'portal-zh-Hant');
    await context.close();
  });

  it('pages › ask no other host for anything and raise no script error', () => {
    assert.deepEqual(offHostRequests, []);
    assert.deepEqual(pageErrors, []);
  });
});
