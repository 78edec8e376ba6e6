/** Data loading for pages: one GET per key, cancelled on change, with a reload. */
import { useCallback, useEffect, useState } from 'preact/hooks';
import { ApiError } from '../api.js';
import { useApp } from './context.js';

export interface Loaded<T> {
  readonly data: T | undefined;
  readonly error: ApiError | undefined;
  readonly loading: boolean;
  reload(): void;
}

/** GET `path` (null = nothing to load yet). */
export function useGet<T>(path: string | null): Loaded<T> {
  const { api } = useApp();
  const [state, setState] = useState<{ data?: T; error?: ApiError; loading: boolean }>({ loading: path !== null });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    if (path === null) {
      setState({ loading: false });
      return;
    }
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    api.get<T>(path).then(
      (data) => live && setState({ data, loading: false }),
      (e: unknown) =>
        live &&
        setState({
          error: e instanceof ApiError ? e : new ApiError('problem', 0, path, { title: String(e), status: 0 }),
          loading: false,
        }),
    );
    return () => {
      live = false;
    };
  }, [api, path, tick]);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  return { data: state.data, error: state.error, loading: state.loading, reload };
}

/** The minimum interval between two polls of a job (issue 15: never faster than 2 s). */
export const POLL_MS = 2000;
