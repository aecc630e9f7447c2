import { mkdir, rmdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';

const SCREENSHOTS = fileURLToPath(new URL('../../test-results/screenshots/', import.meta.url));

// The project's flags, plus the parts of @sparticuz/chromium's own list that matter off AWS Lambda:
// no zygote (it only serves the sandbox, which is off) and unhinted fonts, so screenshots look alike on
// every machine. Its --single-process and --disable-web-security are left out: a page here must meet
// the same-origin rules and process model a real browser has.
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-zygote',
  '--font-render-hinting=none',
];

const UNPACK_LOCK = join(tmpdir(), 'partnerdesk-chromium-unpack.lock');
const UNPACK_WAIT_MS = 120_000;

/**
 * The Chromium shipped inside @sparticuz/chromium, unpacked to /tmp on first use. It writes the binary
 * in place, and test files run in parallel processes, so one process unpacks while the others wait.
 */
async function bundledChromium(): Promise<string> {
  const { default: packaged } = await import('@sparticuz/chromium');
  const deadline = Date.now() + UNPACK_WAIT_MS;
  for (;;) {
    try {
      await mkdir(UNPACK_LOCK);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      if (Date.now() > deadline) {
        throw new Error(
          `Chromium is still being unpacked after ${UNPACK_WAIT_MS} ms; remove ${UNPACK_LOCK} if stale`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  try {
    return await packaged.executablePath();
  } finally {
    await rmdir(UNPACK_LOCK);
  }
}

/** Headless Chromium: CHROMIUM_PATH when set (a system Chromium), else the one from the npm package. */
export async function launchBrowser(): Promise<Browser> {
  const executablePath = process.env.CHROMIUM_PATH || (await bundledChromium());
  return chromium.launch({ executablePath, args: ARGS, headless: true });
}

/** Saves a PNG of the page's viewport as test-results/screenshots/<name>.png and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  const path = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path });
  return path;
}

/**
 * Signs in through the sign-in page the browser is on (else a fresh one), typing the TOTP code from
 * `code()` when the second step asks for one. Resolves once the sign-in pages are left behind.
 */
export async function signInThroughPage(
  page: Page,
  origin: string,
  email: string,
  password: string,
  code?: () => string,
) {
  if (!new URL(page.url(), origin).pathname.startsWith('/sign-in')) await page.goto(`${origin}/sign-in`);
  await page.getByTestId('sign-in-email').fill(email);
  await page.getByTestId('sign-in-password').fill(password);
  await page.getByTestId('sign-in-submit').click();
  await page.waitForURL((url) => url.pathname !== '/sign-in');
  if (new URL(page.url()).pathname === '/sign-in/mfa') {
    if (!code) throw new Error(`${email} was asked for a verification code`);
    await typeCode(page, code());
    await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'));
  }
}

/** Types a six-digit code into the code boxes, one digit each, as a person would. */
export async function typeCode(page: Page, code: string) {
  await page.getByTestId('mfa-code').locator('input').first().click();
  await page.keyboard.type(code);
}
