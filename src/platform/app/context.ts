import type { Config } from '#platform/config';
import type { Database } from '#platform/db';
import type { Api, Authenticator } from '#platform/http';
import type { JobHandler, Jobs, JobType } from '#platform/jobs';
import type { Logger } from '#platform/log';
import type { MailDelivery } from '#platform/mail';
import type { Keyring } from '#platform/secrets';
import type { FileStorage } from '#platform/storage';
import type { Clock } from '#platform/time';

/** What every service, route and job of a running partnerdesk can use. */
export interface AppContext {
  config: Config;
  log: Logger;
  database: Database;
  jobs: Jobs;
  mail: MailDelivery;
  storage: FileStorage;
  /** Encrypts secrets at rest (TOTP secrets, OIDC client secrets, refresh tokens). */
  secrets: Keyring;
  clock: Clock;
}

/** How a business module plugs in: its routes, its jobs and its demo data. */
export interface AppModule {
  name: string;
  routes?: (api: Api, app: AppContext) => void | Promise<void>;
  /** Job types this module sends; handlers declare theirs too. */
  jobTypes?: readonly JobType[];
  jobs?: readonly JobHandler[];
  /** Fills a new installation with demo data; runs once per module, in module order. */
  seedDemo?: (app: AppContext) => Promise<void>;
  /** Says who is calling (identity); at most one module provides it. */
  authenticator?: (app: AppContext) => Authenticator;
  /** Lines for the start-up banner (demo sign-ins, warnings), printed by `serve`. */
  startupNotes?: (app: AppContext, seeded: readonly string[]) => Promise<string[]>;
}
