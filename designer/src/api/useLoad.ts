/**
 * The one loader hook of the designer: runs `load` on mount and whenever `deps` change, keeps
 * the previous data while it reloads, and drops answers of older runs (a slow first request
 * must not overwrite a newer one). `reload()` runs it again and resolves once it settled.
 */
import { useCallback, useEffect, useRef, useState, type DependencyList } from 'react';

export interface Loaded<T> {
  data: T | undefined;
  loading: boolean;
  /** The last run's failure (an `ApiError` for a server answer); null after a success. */
  error: Error | null;
  reload(): Promise<void>;
}

export function useLoad<T>(load: () => Promise<T>, deps: DependencyList): Loaded<T> {
  const [state, setState] = useState<{ data?: T; loading: boolean; error: Error | null }>({ loading: true, error: null });
  const run = useRef(0);
  // The latest `load` closure; `deps` decide when it runs again.
  const latest = useRef(load);
  latest.current = load;
  const reload = useCallback(async () => {
    const mine = ++run.current;
    setState((previous) => ({ ...previous, loading: true }));
    try {
      const data = await latest.current();
      if (mine === run.current) setState({ data, loading: false, error: null });
    } catch (error) {
      const failure = error instanceof Error ? error : new Error(String(error));
      if (mine === run.current) setState((previous) => ({ ...previous, loading: false, error: failure }));
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps);
  useEffect(() => {
    void reload();
  }, [reload]);
  return { data: state.data, loading: state.loading, error: state.error, reload };
}
