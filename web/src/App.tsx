import { LoginRequired } from './LoginRequired.js';
import { useSession } from './session/use-session.js';
import { Workspace } from './Workspace.js';

/** Who the user is first: the page shows only what the user's roles allow. */
export function App() {
  const session = useSession();
  if (session.kind === 'login-required') return <LoginRequired />;
  if (session.kind === 'starting') {
    return (
      <main className="starting" role="status">
        <h1>OMS-SOR blotter</h1>
        <p>{session.problem ? `Cannot reach the server (${session.problem}); retrying…` : 'Starting…'}</p>
      </main>
    );
  }
  return <Workspace me={session.me} />;
}
