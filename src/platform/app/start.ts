import { join } from 'node:path';
import type { Config } from '#platform/config';
import { type Database, migrate, openDatabase } from '#platform/db';
import { type Api, type Authenticator, anonymousAuthenticator, buildHttpServer } from '#platform/http';
import { createJobs } from '#platform/jobs';
import { createLogger, type Logger } from '#platform/log';
import { selectMailDelivery } from '#platform/mail';
import { loadKeyring } from '#platform/secrets';
import { createDirectoryStorage } from '#platform/storage';
import { type Clock, systemClock } from '#platform/time';
import type { AppContext, AppModule } from './context.ts';
import { seedDemoData } from './demo.ts';
import { platformModule } from './platform-module.ts';

export interface StartOptions {
  config: Config;
  /** Business modules in dependency order (see ARCHITECTURE.md). */
  modules: readonly AppModule[];
  version: string;
  log?: Logger;
  /** An already open (e.g. test template) database; closed by the app. */
  database?: Database;
  clock?: Clock;
  authenticator?: Authenticator;
  webDist?: string;
  /** Listen on config.host:config.port; tests may use `inject` instead. */
  listen?: boolean;
}

export interface RunningApp {
  app: AppContext;
  http: Api;
  /** The address it listens on, when it listens. */
  url: string | undefined;
  /** Demo data seeded by this start, by module. */
  seeded: string[];
  /** True when this start generated the secret key into DATA_DIR (no PARTNERDESK_SECRET_KEY). */
  generatedSecretKey: boolean;
  /** Stops taking requests, lets in-flight requests and jobs finish, then closes the database. */
  close(): Promise<void>;
}

/** config → database → migrate → modules → jobs + http. */
export async function startApp(options: StartOptions): Promise<RunningApp> {
  const { config } = options;
  const log = options.log ?? createLogger(config.logLevel);
  const modules = [platformModule, ...options.modules];
  const mail = selectMailDelivery(config.smtpUrl);
  const database =
    options.database ?? (await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir }));
  let jobs: AppContext['jobs'] | undefined;
  try {
    await migrate(database);
    jobs = await createJobs(
      database,
      log,
      modules.flatMap((module) => [
        ...(module.jobTypes ?? []),
        ...(module.jobs ?? []).map((handler) => handler.type),
      ]),
    );
    const { keyring, generated: generatedSecretKey } = await loadKeyring({
      secretKey: config.secretKey,
      dataDir: config.dataDir,
    });
    const app: AppContext = {
      config,
      log,
      database,
      jobs,
      mail,
      storage: createDirectoryStorage(join(config.dataDir, 'files')),
      secrets: keyring,
      clock: options.clock ?? systemClock,
    };
    if (config.runJobs)
      await jobs.work(
        modules.flatMap((module) => module.jobs ?? []),
        app,
      );
    const seeded = config.loadDemoData ? await seedDemoData(app, modules) : [];
    const providers = modules.filter((module) => module.authenticator);
    if (providers.length > 1)
      throw new Error(`Only one module may authenticate: ${providers.map((m) => m.name).join(', ')}`);
    const authenticator =
      options.authenticator ?? providers[0]?.authenticator?.(app) ?? anonymousAuthenticator;
    const http = await buildHttpServer({
      log,
      database,
      version: options.version,
      authenticator,
      ...(options.webDist ? { webDist: options.webDist } : {}),
      routes: async (api) => {
        for (const module of modules) await module.routes?.(api, app);
      },
    });
    const url = options.listen ? await http.listen({ host: config.host, port: config.port }) : undefined;
    let closing: Promise<void> | undefined;
    const close = () => {
      closing ??= (async () => {
        await http.close();
        await jobs?.stop();
        if (mail.mode === 'smtp') mail.transport.close();
        await database.close();
      })();
      return closing;
    };
    return { app, http, url, seeded, generatedSecretKey, close };
  } catch (error) {
    await jobs?.stop().catch(() => {});
    await database.close().catch(() => {});
    throw error;
  }
}
