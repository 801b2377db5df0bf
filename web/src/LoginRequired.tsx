import { useEffect, useState } from 'react';
import { accessToken, forgetToken } from './api/access-token.js';
import { signIn, webLogin, type WebLogin } from './session/oidc-login.js';
import { signInFailure } from './session/sign-in-failure.js';

/**
 * The API answered 401: no token (AUTH_MODE=oidc), or the one the page had expired or is not
 * trusted. With the server's sign-in settings the user signs in at the issuer (authorization code
 * with PKCE); without them (no OIDC_WEB_CLIENT_ID) the page says how to hand it a token.
 */
export function LoginRequired() {
  const hadToken = accessToken() !== null;
  const [login, setLogin] = useState<WebLogin | null | undefined>();
  const [problem, setProblem] = useState(signInFailure());

  useEffect(() => {
    webLogin().then(setLogin, () => setLogin(null));
  }, []);

  const start = (settings: WebLogin) => {
    forgetToken();
    signIn(settings).catch((e: unknown) => setProblem(e instanceof Error ? e.message : String(e)));
  };

  return (
    <main className="login-required" role="alert">
      <h1>OMS-SOR blotter</h1>
      <p>
        <strong>Login required.</strong> {hadToken ? 'The token this tab had was refused (expired, or not from this server’s issuer). ' : ''}
        This server checks bearer tokens (AUTH_MODE=oidc).
      </p>
      {login && (
        <p>
          <button type="button" onClick={() => start(login)}>
            Sign in
          </button>{' '}
          at {new URL(login.issuer).host}
        </p>
      )}
      {login === null && (
        <p>
          This server offers no sign-in for the page (set OIDC_WEB_CLIENT_ID): open it as <code>/#token=</code> followed by an access token from the issuer, or
          use the API with a token (README, Access control).
        </p>
      )}
      {problem && <p className="reject">Sign-in failed: {problem}</p>}
      {hadToken && !login && (
        <p>
          <button
            type="button"
            onClick={() => {
              forgetToken();
              location.reload();
            }}
          >
            Forget the token
          </button>
        </p>
      )}
    </main>
  );
}
