import Type from 'typebox';
import type { AppModule } from '#platform/app';
import { defineJob, handleJob } from '#platform/jobs';
import { createAuthenticator } from './authenticator.ts';
import { demoSignIns, seedDemoUsers } from './demo.ts';
import { oidcRoutes } from './oidc-routes.ts';
import { identityPortalRoutes, identityRoutes } from './routes.ts';
import { purgeExpiredSessions } from './sessions.ts';

export { DEMO_PASSWORD, demoTotpSecret, demoUsers } from './demo.ts';
export {
  customerRoles,
  isPermission,
  type Permission,
  permissionMatrixMarkdown,
  permissions,
  permissionsOf,
  type Role,
  rolePermissions,
  staffRoles,
} from './permissions.ts';
export { findUserByEmail, listStaffWithRole, type User, userNamesByIds } from './queries.ts';
export { currentTotp } from './totp.ts';
export { inviteUser } from './users.ts';

const purgeSessions = defineJob({
  name: 'identity.purge-expired-sessions',
  version: 1,
  payload: Type.Object({}),
});

/** Users of partners and customers, sign-in with MFA, sessions, API tokens: the authenticator of every request. */
export const identityModule: AppModule = {
  name: 'identity',
  authenticator: createAuthenticator,
  routes(api, app) {
    identityRoutes(api, app);
    identityPortalRoutes(api, app);
    oidcRoutes(api, app);
  },
  jobs: [
    handleJob(
      purgeSessions,
      async (_payload, run, app) => {
        run.log.info(
          { purged: await purgeExpiredSessions(app.database.db, app.clock.now()) },
          'expired sessions purged',
        );
      },
      { cron: '41 * * * *', payload: {} },
    ),
  ],
  seedDemo: seedDemoUsers,
  async startupNotes(app, seeded) {
    return seeded.includes('identity') ? demoSignIns(app.clock.now()) : [];
  },
};
