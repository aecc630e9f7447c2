import { isAbsolute, resolve } from 'node:path';
import { invalid } from '#platform/errors';

/**
 * Configuration comes from environment variables only, validated once at start. Every default makes
 * `npm start` work on a fresh machine; every error names the variable that is wrong.
 */
export interface Config {
  host: string;
  port: number;
  /** Absolute folder for the embedded database, generated keys and stored files. */
  dataDir: string;
  /** A PostgreSQL server; when absent the embedded PGlite database under `dataDir` is used. */
  databaseUrl: string | undefined;
  smtpUrl: string | undefined;
  mailFrom: string;
  publicUrl: string;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Whether this process runs job workers and schedules (API-only processes can turn it off). */
  runJobs: boolean;
  /** Whether a fresh database is filled with demo data on first start. */
  loadDemoData: boolean;
  /** Whether `serve` runs the Partner Center emulator in-process for the demo partners' connections. */
  runEmulator: boolean;
  /** Port of the in-process emulator on 127.0.0.1; 0 picks a free one. */
  emulatorPort: number;
  secretKey: string | undefined;
  /** The installation's default OpenID Connect sign-in, for single-partner installations. */
  oidc: OidcDefault | undefined;
}

export interface OidcDefault {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** The partner (slug) it signs people into. */
  partnerSlug: string;
}

export interface ConfigVariable {
  name: string;
  default: string;
  meaning: string;
}

/** The documented variables, in the order the README lists them. */
export const configVariables: readonly ConfigVariable[] = [
  { name: 'HOST', default: '127.0.0.1', meaning: 'Address the HTTP server listens on.' },
  { name: 'PORT', default: '3000', meaning: 'Port the HTTP server listens on (0 picks a free one).' },
  {
    name: 'DATA_DIR',
    default: './data',
    meaning: 'Folder for the embedded database, generated keys and stored files.',
  },
  {
    name: 'DATABASE_URL',
    default: '(unset: embedded PGlite in DATA_DIR)',
    meaning: 'PostgreSQL connection string, e.g. postgres://user@127.0.0.1:5432/partnerdesk.',
  },
  {
    name: 'SMTP_URL',
    default: '(unset: mail stays in the outbox, visible to admins)',
    meaning: 'Outgoing mail server, smtp:// or smtps://, with credentials if needed.',
  },
  {
    name: 'MAIL_FROM',
    default: 'partnerdesk@localhost',
    meaning: 'Envelope sender when a partner has none.',
  },
  {
    name: 'PUBLIC_URL',
    default: 'http://HOST:PORT',
    meaning: 'The address people use to reach the web app (links in mail).',
  },
  { name: 'LOG_LEVEL', default: 'info', meaning: 'fatal, error, warn, info, debug, trace or silent.' },
  { name: 'RUN_JOBS', default: 'true', meaning: 'Run job workers and schedules in this process.' },
  { name: 'DEMO_DATA', default: 'true', meaning: 'Load demo data into a new, empty database.' },
  {
    name: 'EMULATOR',
    default: 'true',
    meaning:
      'With demo data, run the Partner Center emulator in the same process (state in DATA_DIR/emulator) and connect the demo partners to it; off to not run it.',
  },
  {
    name: 'EMULATOR_PORT',
    default: '4010',
    meaning: 'Port of that emulator on 127.0.0.1 (0 picks a free one).',
  },
  {
    name: 'PARTNERDESK_SECRET_KEY',
    default: '(unset: a key is generated into DATA_DIR)',
    meaning: 'Key that encrypts secrets at rest (base64, 32 bytes).',
  },
  {
    name: 'OIDC_ISSUER',
    default: '(unset: no default single sign-on)',
    meaning:
      'Issuer of the default OpenID Connect sign-in, e.g. https://login.microsoftonline.com/<tenant>/v2.0 (partners can also set their own).',
  },
  { name: 'OIDC_CLIENT_ID', default: '(required with OIDC_ISSUER)', meaning: 'Its application (client) id.' },
  { name: 'OIDC_CLIENT_SECRET', default: '(required with OIDC_ISSUER)', meaning: 'Its client secret.' },
  {
    name: 'OIDC_PARTNER',
    default: '(required with OIDC_ISSUER)',
    meaning: 'Slug of the partner it signs people into.',
  },
];

type Env = Record<string, string | undefined>;

function text(env: Env, name: string, fallback: string): string {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? fallback : value;
}

function optional(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

function bool(env: Env, name: string, fallback: boolean): boolean {
  const value = optional(env, name)?.toLowerCase();
  if (value === undefined) return fallback;
  if (['1', 'true', 'yes', 'on'].includes(value)) return true;
  if (['0', 'false', 'no', 'off'].includes(value)) return false;
  throw invalid('invalid-config', `${name} must be true or false, not "${env[name]}"`, { field: name });
}

function port(env: Env, name: string, fallback: number): number {
  const value = optional(env, name);
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!/^\d+$/.test(value) || parsed > 65535) {
    throw invalid('invalid-config', `${name} must be a port number from 0 to 65535, not "${value}"`, {
      field: name,
    });
  }
  return parsed;
}

function url(env: Env, name: string, protocols: string[]): string | undefined {
  const value = optional(env, name);
  if (value === undefined) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    throw invalid('invalid-config', `${name} is not a valid URL`, { field: name });
  }
  if (!protocols.includes(parsed.protocol)) {
    throw invalid('invalid-config', `${name} must start with ${protocols.join(' or ')}//`, { field: name });
  }
  return value;
}

const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export function loadConfig(env: Env = process.env, cwd = process.cwd()): Config {
  const host = text(env, 'HOST', '127.0.0.1');
  const listenPort = port(env, 'PORT', 3000);
  const dataDirSetting = text(env, 'DATA_DIR', './data');
  const logLevel = text(env, 'LOG_LEVEL', 'info');
  if (!(logLevels as readonly string[]).includes(logLevel)) {
    throw invalid('invalid-config', `LOG_LEVEL must be one of ${logLevels.join(', ')}, not "${logLevel}"`, {
      field: 'LOG_LEVEL',
    });
  }
  const secretKey = optional(env, 'PARTNERDESK_SECRET_KEY');
  if (secretKey !== undefined && Buffer.from(secretKey, 'base64').length !== 32) {
    throw invalid('invalid-config', 'PARTNERDESK_SECRET_KEY must be 32 bytes written in base64', {
      field: 'PARTNERDESK_SECRET_KEY',
    });
  }
  const mailFrom = text(env, 'MAIL_FROM', 'partnerdesk@localhost');
  if (!/^[^\s@]+@[^\s@]+$/.test(mailFrom)) {
    throw invalid('invalid-config', `MAIL_FROM must be an e-mail address, not "${mailFrom}"`, {
      field: 'MAIL_FROM',
    });
  }
  return {
    oidc: oidcDefault(env),
    host,
    port: listenPort,
    dataDir: isAbsolute(dataDirSetting) ? dataDirSetting : resolve(cwd, dataDirSetting),
    databaseUrl: url(env, 'DATABASE_URL', ['postgres:', 'postgresql:']),
    smtpUrl: url(env, 'SMTP_URL', ['smtp:', 'smtps:']),
    mailFrom,
    publicUrl: url(env, 'PUBLIC_URL', ['http:', 'https:']) ?? `http://${host}:${listenPort}`,
    logLevel: logLevel as Config['logLevel'],
    runJobs: bool(env, 'RUN_JOBS', true),
    loadDemoData: bool(env, 'DEMO_DATA', true),
    runEmulator: bool(env, 'EMULATOR', true),
    emulatorPort: port(env, 'EMULATOR_PORT', 4010),
    secretKey,
  };
}

function oidcDefault(env: Env): OidcDefault | undefined {
  const issuer = url(env, 'OIDC_ISSUER', ['https:', 'http:']);
  if (issuer === undefined) return undefined;
  const { protocol, hostname } = new URL(issuer);
  if (protocol === 'http:' && !['127.0.0.1', 'localhost', '[::1]'].includes(hostname)) {
    throw invalid('invalid-config', 'OIDC_ISSUER must be an https URL (http only on this machine)', {
      field: 'OIDC_ISSUER',
    });
  }
  const missing = ['OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET', 'OIDC_PARTNER'].filter(
    (name) => !optional(env, name),
  );
  if (missing.length > 0) {
    throw invalid('invalid-config', `OIDC_ISSUER is set, so ${missing.join(', ')} must be set too`, {
      field: missing[0]!,
    });
  }
  return {
    issuer,
    clientId: optional(env, 'OIDC_CLIENT_ID')!,
    clientSecret: optional(env, 'OIDC_CLIENT_SECRET')!,
    partnerSlug: optional(env, 'OIDC_PARTNER')!,
  };
}
