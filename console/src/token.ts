// The admin token lives in sessionStorage only: gone with the tab, never in a cookie (so no other
// page can make the browser send it) and never in a URL. The banner may hand it over in the
// fragment (#token=…), which browsers never send to a server; it is read once and removed from
// the address bar and the history entry at once.
const STORAGE_KEY = 'keyforge.adminToken';

/** Moves a `#token=` fragment into sessionStorage; answers whether there was one. */
export function takeTokenFromFragment(): boolean {
  const token = new URLSearchParams(location.hash.slice(1)).get('token');
  if (location.hash !== '') history.replaceState(history.state, '', location.pathname + location.search);
  if (!token) return false;
  storeToken(token);
  return true;
}

export function storedToken(): string | null {
  return sessionStorage.getItem(STORAGE_KEY);
}

export function storeToken(token: string): void {
  sessionStorage.setItem(STORAGE_KEY, token);
}

export function forgetToken(): void {
  sessionStorage.removeItem(STORAGE_KEY);
}
