export { purgeExpiredIdempotencyKeys } from './idempotency.ts';
export { type Problem, problem, problemOf, sendProblem } from './problems.ts';
export { idempotencyKeys } from './schema.ts';
export {
  type Api,
  type Authenticator,
  anonymousAuthenticator,
  buildHttpServer,
  callerOf,
  type HttpOptions,
  type RouteAccess,
  type RouteEntry,
} from './server.ts';
