import { useState } from 'react';
import { Button, Heading, Paragraph } from '@digdir/designsystemet-react';
import type { CurrentUser } from '../fhir/roles';
import { roleLabel } from '../fhir/roles';
import { browserLaunchPort, logout } from '../fhir/launch';

/** `handle`: the tab's launch handle; with it the header offers «Logg ut» (issue 14 item 4). */
export function AppHeader({ user, handle }: { user: CurrentUser | undefined; handle?: string | undefined }) {
  const [state, setState] = useState<{ busy: boolean; failed?: string }>({ busy: false });
  const onLogout = async () => {
    if (!handle) return;
    setState({ busy: true });
    const result = await logout(browserLaunchPort(), handle);
    // The server's own page says the user is logged out and how to start again from the journal.
    if ('page' in result) window.location.assign(result.page);
    else setState({ busy: false, failed: result.failed });
  };
  return (
    <header className="pht-header">
      <Heading level={1} data-size="xs" className="pht-app-name">
        Primærhelseteam
      </Heading>
      {user && (
        <div className="pht-header-end">
          <p className="pht-user" aria-label="Innlogget bruker">
            <span className="pht-user-name">{user.name}</span>
            <span className="pht-user-role" data-testid="user-role">
              {roleLabel(user.role)}
            </span>
          </p>
          {handle && (
            <Button variant="secondary" data-size="sm" data-testid="logout" disabled={state.busy} onClick={() => void onLogout()}>
              {state.busy ? 'Logger ut …' : 'Logg ut'}
            </Button>
          )}
        </div>
      )}
      {state.failed && (
        <Paragraph role="alert" data-size="sm" className="pht-logout-failed">
          {state.failed}
        </Paragraph>
      )}
    </header>
  );
}
