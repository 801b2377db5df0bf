import * as oauth from 'oauth4webapi';
import { keepToken } from '../api/access-token.js';

/** GET /api/v1/auth/web-login: the issuer and the public client this server's blotter signs in with. */
export interface WebLogin {
  readonly issuer: string;
  readonly clientId: string;
  readonly scope: string;
}

/** What the page must remember across the trip to the issuer (this tab only). */
interface PendingSignIn {
  readonly verifier: string;
  readonly state: string;
  readonly returnTo: string;
}

const PENDING_KEY = 'oms-sor.oidc-pending';

/** The server's sign-in settings; null when it has none (dev mode, or no OIDC_WEB_CLIENT_ID). */
export async function webLogin(): Promise<WebLogin | null> {
  const response = await fetch('/api/v1/auth/web-login');
  return response.ok ? ((await response.json()) as WebLogin) : null;
}

/** The page comes back to its own root: one redirect URI to register at the issuer per origin. */
const redirectUri = (): string => `${location.origin}/`;

const client = (login: WebLogin): oauth.Client => ({ client_id: login.clientId });

/** Plain http to the issuer only when the server was configured with an http issuer (a local Keycloak). */
const transport = (login: WebLogin) => (new URL(login.issuer).protocol === 'http:' ? { [oauth.allowInsecureRequests]: true } : {});

/** The issuer's endpoints, from its discovery document. */
async function authorizationServer(login: WebLogin): Promise<oauth.AuthorizationServer> {
  const issuer = new URL(login.issuer);
  return oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { ...transport(login), algorithm: 'oidc' }));
}

/** Starts the authorization code flow with PKCE: the browser leaves for the issuer's login page. */
export async function signIn(login: WebLogin): Promise<void> {
  const as = await authorizationServer(login);
  if (!as.authorization_endpoint) throw new Error(`${login.issuer} names no authorization endpoint`);
  const verifier = oauth.generateRandomCodeVerifier();
  const pending: PendingSignIn = { verifier, state: oauth.generateRandomState(), returnTo: `${location.pathname}${location.search}` };
  sessionStorage.setItem(PENDING_KEY, JSON.stringify(pending));
  const url = new URL(as.authorization_endpoint);
  url.searchParams.set('client_id', login.clientId);
  url.searchParams.set('redirect_uri', redirectUri());
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('scope', login.scope);
  url.searchParams.set('code_challenge', await oauth.calculatePKCECodeChallenge(verifier));
  url.searchParams.set('code_challenge_method', 'S256');
  url.searchParams.set('state', pending.state);
  location.assign(url);
}

/**
 * Back from the issuer (`?code=…&state=…` and a sign-in pending in this tab): trades the code and
 * the PKCE verifier for a token, keeps it, and puts back the address the user left from. Throws
 * what went wrong (the issuer's error, a state that does not match); does nothing otherwise.
 */
export async function completeSignIn(): Promise<void> {
  const returned = new URL(location.href);
  const saved = sessionStorage.getItem(PENDING_KEY);
  if (!saved || (!returned.searchParams.has('code') && !returned.searchParams.has('error'))) return;
  sessionStorage.removeItem(PENDING_KEY);
  const pending = JSON.parse(saved) as PendingSignIn;
  history.replaceState(history.state, '', pending.returnTo);
  const login = await webLogin();
  if (!login) throw new Error('this server no longer offers a sign-in');
  const as = await authorizationServer(login);
  const parameters = oauth.validateAuthResponse(as, client(login), returned, pending.state);
  const response = await oauth.authorizationCodeGrantRequest(as, client(login), oauth.None(), parameters, redirectUri(), pending.verifier, transport(login));
  const tokens = await oauth.processAuthorizationCodeResponse(as, client(login), response);
  keepToken(tokens.access_token);
}
