import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { desc, eq } from 'drizzle-orm';
import type { Browser, Page } from 'playwright-core';
import { currentTotp, DEMO_PASSWORD, demoTotpSecret } from '#modules/identity';
import type { RunningApp } from '#platform/app';
import { catalogs } from '#platform/i18n';
import { outboxMail } from '#platform/outbox';
import { type FixedClock, fixedClock } from '#platform/time';
import { modules } from '../../src/main.ts';
import { startTestApp } from '../support/app.ts';
import { launchBrowser, screenshot, signInThroughPage, typeCode } from '../support/browser.ts';

const DIST = fileURLToPath(new URL('../../web/dist/', import.meta.url));
const en = catalogs.en;

/** The mailed link of the newest mail to `address`, as the outbox holds it (no SMTP here). */
async function mailedLink(app: RunningApp, address: string, path: string): Promise<string> {
  const [row] = await app.app.database.db
    .select()
    .from(outboxMail)
    .where(eq(outboxMail.recipients, address))
    .orderBy(desc(outboxMail.createdAt))
    .limit(1);
  const text = (row?.message as { text?: string } | undefined)?.text ?? '';
  const match = text.match(new RegExp(`https?://[^\\s]+${path}\\?token=[A-Za-z0-9_-]+`));
  assert.ok(match, `a ${path} link mailed to ${address}`);
  return match[0];
}

describe('identity in the browser', { timeout: 180_000 }, () => {
  let app: RunningApp;
  let clock: FixedClock;
  let browser: Browser;
  let origin: string;
  before(async () => {
    clock = fixedClock('2026-11-23T09:00:00Z');
    app = await startTestApp({
      engine: 'pglite',
      modules,
      listen: true,
      webDist: DIST,
      clock,
      config: { loadDemoData: true },
    });
    origin = app.url!;
    // Links in mail point at the address people use.
    app.app.config.publicUrl = origin;
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await app?.close();
  });

  async function freshPage(): Promise<Page> {
    const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 860 } });
    return context.newPage();
  }

  /** Only the password: the tests below take the second step themselves, to look at it. */
  async function signIn(page: Page, email: string, password: string) {
    if (!new URL(page.url(), origin).pathname.startsWith('/sign-in')) await page.goto(`${origin}/sign-in`);
    await page.getByTestId('sign-in-email').fill(email);
    await page.getByTestId('sign-in-password').fill(password);
    await page.getByTestId('sign-in-submit').click();
  }

  it('a Global admin signs in with TOTP and invites a Billing admin, who accepts, enrols MFA and signs in', async () => {
    const admin = await freshPage();
    await admin.goto(`${origin}/staff/users`);
    await admin.waitForURL(/\/sign-in\?next=/);
    await signIn(admin, 'admin@northwind-cloud.example', DEMO_PASSWORD);
    await admin.waitForURL(/\/sign-in\/mfa/);
    await screenshot(admin, 'identity-mfa-step');
    clock.advance(30_000);
    await typeCode(admin, currentTotp(demoTotpSecret('admin@northwind-cloud.example'), clock.now()));
    // Back where they were going.
    await admin.waitForURL(/\/staff\/users$/);
    await admin.getByTestId('user-list').waitFor();

    await admin.getByTestId('invite-user').click();
    const dialog = admin.getByRole('dialog');
    await dialog.getByLabel(en['identity.field.email']!).fill('dana.billing@northwind-cloud.example');
    await dialog.getByLabel(en['identity.field.name']!).fill('Dana Billing');
    // Mantine draws the field over the combobox input, which stays zero-sized.
    await dialog.getByTestId('roles').click({ force: true });
    await admin.getByRole('option', { name: en['identity.role.billing_admin']! }).click();
    await admin.keyboard.press('Escape');
    await dialog.getByRole('button', { name: en['identity.users.inviteSubmit']! }).click();
    await admin.getByTestId('user-dana.billing@northwind-cloud.example').waitFor();
    await screenshot(admin, 'identity-users-invited');

    const link = await mailedLink(app, 'dana.billing@northwind-cloud.example', '/accept-invitation');
    const dana = await freshPage();
    await dana.goto(link);
    await dana.getByTestId('new-password').fill('Quarterly ledger 2026 autumn');
    await dana.getByTestId('repeat-password').fill('Quarterly ledger 2026 autumn');
    await dana.getByTestId('invitation-accept').click();
    await dana.getByTestId('invitation-accepted').waitFor();

    await dana.goto(`${origin}/sign-in`);
    await signIn(dana, 'dana.billing@northwind-cloud.example', 'Quarterly ledger 2026 autumn');
    await dana.waitForURL(/\/sign-in\/enrol/);
    await dana.getByTestId('mfa-qr').locator('svg').waitFor();
    await screenshot(dana, 'identity-enrol-qr');
    const secret = ((await dana.getByTestId('mfa-secret').textContent()) ?? '').replace(/\s+/g, '');
    clock.advance(30_000);
    await typeCode(dana, currentTotp(secret, clock.now()));
    // The form goes on by itself once six digits are in.
    const codes = dana.getByTestId('recovery-codes');
    await codes.waitFor();
    // biome-ignore lint/performance/useDomNodeTextContent: innerText keeps the line breaks between the codes.
    assert.equal((await codes.innerText()).match(/\b[a-z0-9]{4}-[a-z0-9]{4}\b/g)?.length, 10);
    await screenshot(dana, 'identity-recovery-codes');
    await dana.getByTestId('recovery-saved').click();
    await dana.waitForURL(`${origin}/`);
    const nav = await dana.getByTestId('staff-nav').locator('a').allTextContents();
    assert.ok(nav.includes(en['nav.invoices']!), 'a Billing admin sees invoices');
    assert.ok(!nav.includes(en['nav.users']!), 'but not users');
    await screenshot(dana, 'identity-billing-admin-console');
  });

  it('the sign-in page › says why an organisation sign-in came back, and offers it only where one is set up', async () => {
    const page = await freshPage();
    await page.goto(`${origin}/sign-in?partner=northwind-us&error=oidc-no-account`);
    await page.getByTestId('partner-branding').waitFor();
    assert.equal(
      await page.getByTestId('oidc-error').textContent(),
      en['identity.oidcError.oidc-no-account'],
    );
    assert.equal(
      await page.getByTestId('sign-in-oidc').count(),
      0,
      'the demo partners have no identity provider',
    );
    await screenshot(page, 'identity-sign-in-branded');
  });

  it('a customer admin invites a customer user of their organisation', async () => {
    const page = await freshPage();
    await signInThroughPage(page, origin, 'it@adatum.example', DEMO_PASSWORD);
    await page.waitForURL(/\/portal$/);
    await page.goto(`${origin}/portal/users`);
    await page.getByTestId('user-list').waitFor();
    await page.getByTestId('invite-user').click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel(en['identity.field.email']!).fill('new.colleague@adatum.example');
    await dialog.getByLabel(en['identity.field.name']!).fill('New Colleague');
    await dialog.getByLabel(en['identity.role.customer_user']!).check();
    await dialog.getByRole('button', { name: en['identity.users.inviteSubmit']! }).click();
    await page.getByTestId('user-new.colleague@adatum.example').waitFor();
    await screenshot(page, 'identity-portal-users');
    await mailedLink(app, 'new.colleague@adatum.example', '/accept-invitation');
  });
});
