// Loads a value now and every `everyMs` while the view is shown; `reload` loads it at once.
import { useCallback, useEffect, useState } from 'preact/hooks';

export function usePolling<T>(
  load: () => Promise<T>,
  everyMs: number,
): { value: T | null; error: string | null; reload(): void } {
  const [value, setValue] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const reload = useCallback(() => {
    load().then(
      (next) => {
        setValue(next);
        setError(null);
      },
      (err: Error) => setError(err.message),
    );
  }, [load]);
  useEffect(() => {
    reload();
    const timer = setInterval(reload, everyMs);
    return () => clearInterval(timer);
  }, [reload, everyMs]);
  return { value, error, reload };
}
