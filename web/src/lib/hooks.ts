import { useCallback, useSyncExternalStore } from 'react';

/** Subscribes to a CSS media query; synchronous on first render (no desktop→phone flicker). */
export function useMediaQuery(query: string): boolean {
  const subscribe = useCallback(
    (cb: () => void) => {
      const mql = window.matchMedia(query);
      mql.addEventListener('change', cb);
      return () => mql.removeEventListener('change', cb);
    },
    [query],
  );
  return useSyncExternalStore(
    subscribe,
    () => window.matchMedia(query).matches,
    () => false,
  );
}

/** Phones and small tablets: the menu becomes a drawer (antd `md` breakpoint is 768 px). */
export function useIsMobile(): boolean {
  return useMediaQuery('(max-width: 767.98px)');
}

/** Below 576 px (antd `sm`) drawers take the full width. */
export function useIsXs(): boolean {
  return useMediaQuery('(max-width: 575.98px)');
}

/** Width for a Drawer: the given width, or the full screen on phones. */
export function useDrawerWidth(width = 520): number | string {
  return useIsXs() ? '100%' : width;
}
