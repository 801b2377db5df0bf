import { Type } from 'typebox';
import { ACTIONS } from '../../../domain/access/permissions.js';
import { ALL_ACCOUNTS, ROLES } from '../../../domain/access/principal.js';
import { BODY_ERRORS, errorResponses } from './common.js';

// Public and not rate limited: no 401 or 429.
const { 401: _unauthorized, 429: _limited, ...devTokenErrors } = errorResponses(...BODY_ERRORS);

/** AUTH_MODE=dev only: this process signs its own tokens. Public, so it needs no token itself. */
export const devTokenSchema = {
  tags: ['auth'],
  summary: 'Issue a token (AUTH_MODE=dev only; never in production)',
  security: [],
  body: Type.Unsafe<unknown>(
    Type.Object({
      subject: Type.String({ pattern: '^[\\w.@:-]{1,128}$' }),
      roles: Type.Array(Type.Enum(ROLES)),
      accounts: Type.Array(Type.String({ minLength: 1 }), { description: `Account ids, or ${ALL_ACCOUNTS} for every account` }),
      expiresInSeconds: Type.Optional(Type.Integer({ minimum: 1, maximum: 86_400, default: 3600 })),
    }),
  ),
  response: {
    200: Type.Object({ access_token: Type.String(), token_type: Type.Literal('Bearer'), expires_in: Type.Integer() }),
    ...devTokenErrors,
  },
};

/** Who the token names, so a client (the web blotter) shows only what the caller may do. */
export const meSchema = {
  tags: ['auth'],
  summary: 'The caller: its subject, roles, accounts and the actions its roles allow',
  response: {
    200: Type.Object({
      subject: Type.String(),
      roles: Type.Array(Type.Enum(ROLES)),
      accounts: Type.Array(Type.String(), { description: `Entitled account ids, or ${ALL_ACCOUNTS} for every account` }),
      actions: Type.Array(Type.Enum(ACTIONS), { description: 'Actions the roles allow; each still needs entitlement to its account' }),
    }),
    ...errorResponses(),
  },
};

const { 401: _noToken, 429: _notLimited, ...webLoginErrors } = errorResponses(404);

/** How the web blotter signs in (AUTH_MODE=oidc with OIDC_WEB_CLIENT_ID). Public: asked before any token exists. */
export const webLoginSchema = {
  tags: ['auth'],
  summary: 'The OpenID issuer and public client the web blotter signs in with (authorization code with PKCE)',
  security: [],
  response: {
    200: Type.Object({
      issuer: Type.String({ description: 'The issuer URL; its discovery document names the endpoints' }),
      clientId: Type.String({ description: 'A public client: no secret, PKCE (S256) required' }),
      scope: Type.String(),
    }),
    // NOT_FOUND: dev mode (no sign-in needed), or no OIDC_WEB_CLIENT_ID configured.
    ...webLoginErrors,
  },
};
