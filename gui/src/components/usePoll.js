import { useEffect, useRef } from 'preact/hooks';

/**
 * Call `fn` every `ms` while the tab is visible (a hidden tab asks nothing; coming back asks at once). `ms` null or 0
 * stops it. The latest `fn` is called, so a poll need not restart when the page re-renders.
 */
export function usePoll(fn, ms) {
  const latest = useRef(fn);
  latest.current = fn;
  useEffect(() => {
    if (!ms) return undefined;
    const visible = () => typeof document === 'undefined' || document.visibilityState !== 'hidden';
    const t = setInterval(() => visible() && latest.current(), ms);
    const onVisibility = () => visible() && latest.current();
    document.addEventListener('visibilitychange', onVisibility);
    return () => {
      clearInterval(t);
      document.removeEventListener('visibilitychange', onVisibility);
    };
  }, [ms]);
}
