import type { Step } from '../types.ts';

/**
 * Where to go after signing in: a path on this site from `?next=`, never another origin (`//host`,
 * `/\host`) and never back into signing in; else the home page, which sends each kind of person on.
 */
export function safeNext(raw: string | null): string {
  if (!raw?.startsWith('/') || raw.startsWith('//') || raw.startsWith('/\\') || raw.startsWith('/sign-in')) {
    return '/';
  }
  return raw;
}

function carrying(next: string): string {
  return next === '/' ? '' : `?next=${encodeURIComponent(next)}`;
}

export function signInPath(next: string): string {
  return `/sign-in${carrying(next)}`;
}

/** The page for a step of signing in, carrying where the person was going. */
export function stepPath(step: Step, next: string): string {
  if (step === 'mfa') return `/sign-in/mfa${carrying(next)}`;
  if (step === 'mfa-enrolment') return `/sign-in/enrol${carrying(next)}`;
  return next;
}

/** This address, to come back to once signed in. */
export function here(): string {
  return window.location.pathname + window.location.search;
}
