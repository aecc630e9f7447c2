// The identity feature's public face for the app's shell: who is signed in, and what follows from it.
// Two more public files load on demand: pages.ts (the pages) and user-menu.tsx (the header's menu).
export { LanguageSync } from './session/language-sync.tsx';
export { holdsAny, RequireSession, useSignedIn } from './session/require-session.tsx';
export { onSessionLost } from './session/session-lost.ts';
