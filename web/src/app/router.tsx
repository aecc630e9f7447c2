import { type ComponentPropsWithRef, type MouseEvent, useMemo, useSyncExternalStore } from 'react';

// pushState fires no event of its own, so navigate() announces itself with this one.
const NAVIGATED = 'partnerdesk:navigated';

function subscribe(onChange: () => void): () => void {
  window.addEventListener('popstate', onChange);
  window.addEventListener(NAVIGATED, onChange);
  return () => {
    window.removeEventListener('popstate', onChange);
    window.removeEventListener(NAVIGATED, onChange);
  };
}

/** The current path without a trailing slash ('/' for the root). */
function currentPath(): string {
  return window.location.pathname.replace(/\/+$/, '') || '/';
}

export function usePathname(): string {
  return useSyncExternalStore(subscribe, currentPath);
}

/** The query string of the current address, e.g. `?token=…` of a mailed link. */
export function useSearchParams(): URLSearchParams {
  const search = useSyncExternalStore(subscribe, () => window.location.search);
  return useMemo(() => new URLSearchParams(search), [search]);
}

/** Goes to `to`; `replace` swaps the current history entry, so Back skips a page that only redirected. */
export function navigate(to: string, { replace = false }: { replace?: boolean } = {}): void {
  if (replace) window.history.replaceState(null, '', to);
  else window.history.pushState(null, '', to);
  window.scrollTo(0, 0);
  window.dispatchEvent(new Event(NAVIGATED));
}

type LinkProps = Omit<ComponentPropsWithRef<'a'>, 'href'> & { to: string };

/** An ordinary link that changes pages without a reload; modified clicks keep the browser's behaviour. */
export function Link({ to, onClick, ...rest }: LinkProps) {
  const follow = (event: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(event);
    const modified = event.metaKey || event.ctrlKey || event.shiftKey || event.altKey;
    if (event.defaultPrevented || event.button !== 0 || modified || rest.target) return;
    event.preventDefault();
    navigate(to);
  };
  return <a {...rest} href={to} onClick={follow} />;
}
