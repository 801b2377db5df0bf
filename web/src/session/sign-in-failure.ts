/** Why the last return from the issuer gave no token, shown on the login page (this page load only). */
let failure: string | undefined;

export function rememberSignInFailure(error: unknown): void {
  failure = error instanceof Error ? error.message : String(error);
}

export const signInFailure = (): string | undefined => failure;
