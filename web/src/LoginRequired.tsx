import { accessToken, forgetToken } from './api/access-token.js';

/** The API answered 401: no token (AUTH_MODE=oidc), or the one the page was given expired or is not trusted. */
export function LoginRequired() {
  const hadToken = accessToken() !== null;
  return (
    <main className="login-required" role="alert">
      <h1>OMS-SOR blotter</h1>
      <p>
        <strong>Login required.</strong> This server checks bearer tokens (AUTH_MODE=oidc), and the blotter cannot sign in yet: the OIDC login
        (authorization code with PKCE) is still to be built. Meanwhile, open the page as <code>/#token=</code> followed by an access token from
        the issuer, or use the API with a token (README, Access control), or run in dev mode.
      </p>
      {hadToken && (
        <p>
          The token this tab was given was refused (expired, or not from this server&apos;s issuer).{' '}
          <button
            type="button"
            onClick={() => {
              forgetToken();
              location.reload();
            }}
          >
            Forget it
          </button>
        </p>
      )}
    </main>
  );
}
