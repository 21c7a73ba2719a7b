// Sign-in: the admin token the banner printed (or KEYFORGE_ADMIN_TOKEN), checked with one admin
// call before it is kept in sessionStorage.
import { useState } from 'preact/hooks';
import { AdminApi, Unauthorized } from '../api.js';
import { storeToken } from '../token.js';

export function SignIn({ onSignedIn }: { onSignedIn(token: string): void }) {
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await new AdminApi(token.trim()).faults();
      storeToken(token.trim());
      onSignedIn(token.trim());
    } catch (err) {
      setError(
        err instanceof Unauthorized
          ? 'That is not this keyforge’s admin token.'
          : `keyforge did not answer: ${(err as Error).message}`,
      );
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="signin">
      <form class="card" onSubmit={submit}>
        <h1>keyforge console</h1>
        <p>
          Sign in with the admin token: the banner prints it when keyforge generated one, else it is your{' '}
          <code>--admin-token</code> / <code>KEYFORGE_ADMIN_TOKEN</code>. It is kept for this tab only.
        </p>
        <label>
          Admin token
          <input
            type="password"
            name="token"
            autocomplete="off"
            value={token}
            onInput={(e) => setToken(e.currentTarget.value)}
            required
          />
        </label>
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" disabled={busy || token.trim() === ''}>
          Sign in
        </button>
      </form>
    </div>
  );
}
