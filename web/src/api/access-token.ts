/**
 * The bearer token the page sends, if it was given one. It arrives as `/#token=<access token>`:
 * an address fragment never reaches a server or its logs. The page moves it at once into this
 * tab's sessionStorage (gone when the tab closes, not shared with other tabs) and takes it out of
 * the address, so it is neither bookmarked nor left in the history. Without one the page calls
 * token-less: dev mode's developer with every role, or "login required" under AUTH_MODE=oidc, where
 * the page can sign in at the issuer (session/oidc-login.ts) and keeps the token it gets the same way.
 */
const STORAGE_KEY = 'oms-sor.access-token';

export function adoptTokenFromAddress(): void {
  const token = new URLSearchParams(location.hash.slice(1)).get('token');
  if (!token) return;
  keepToken(token);
  history.replaceState(history.state, '', `${location.pathname}${location.search}`);
}

/** This tab's token from now on (from the address, or from signing in at the issuer). */
export const keepToken = (token: string): void => sessionStorage.setItem(STORAGE_KEY, token);

export const accessToken = (): string | null => sessionStorage.getItem(STORAGE_KEY);

export const forgetToken = (): void => sessionStorage.removeItem(STORAGE_KEY);

/** The Authorization header for the API, when the page holds a token. */
export function authorization(): Record<string, string> {
  const token = accessToken();
  return token ? { authorization: `Bearer ${token}` } : {};
}
