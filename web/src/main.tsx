import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { adoptTokenFromAddress } from './api/access-token.js';
import { App } from './App.js';
import './styles.css';

// Before anything calls the API: a `#token=` in the address becomes this tab's token.
adoptTokenFromAddress();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
