import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { adoptTokenFromAddress } from './api/access-token.js';
import { App } from './App.js';
import { completeSignIn } from './session/oidc-login.js';
import { rememberSignInFailure } from './session/sign-in-failure.js';
import './styles.css';

// Before anything calls the API: a `#token=` in the address becomes this tab's token, and a
// return from the issuer's login page is turned into one.
adoptTokenFromAddress();

completeSignIn()
  .catch(rememberSignInFailure)
  .finally(() =>
    createRoot(document.getElementById('root')!).render(
      <StrictMode>
        <App />
      </StrictMode>,
    ),
  );
