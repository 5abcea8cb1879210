import { signal } from '@preact/signals';

/**
 * A loadable value with its three states, so every page can show loading, error (the API's message: 503 not_ready
 * names the dependency, 403 says no permission) and empty without fetching inside components.
 */
export function resource(fetcher) {
  const data = signal(null);
  const error = signal(null);
  const loading = signal(false);
  let generation = 0;
  async function load(...args) {
    const g = ++generation;
    loading.value = true;
    try {
      const v = await fetcher(...args);
      if (g !== generation) return;
      data.value = v;
      error.value = null;
    } catch (e) {
      if (g !== generation) return;
      error.value = e;
    } finally {
      if (g === generation) loading.value = false;
    }
  }
  function reset() {
    generation++;
    data.value = null;
    error.value = null;
    loading.value = false;
  }
  return { data, error, loading, load, reset };
}
