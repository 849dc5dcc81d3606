import { Heading } from '@digdir/designsystemet-react';
import type { CurrentUser } from '../fhir/roles';
import { roleLabel } from '../fhir/roles';

export function AppHeader({ user }: { user: CurrentUser | undefined }) {
  return (
    <header className="pht-header">
      <Heading level={1} data-size="xs" className="pht-app-name">
        Primærhelseteam
      </Heading>
      {user && (
        <p className="pht-user" aria-label="Innlogget bruker">
          <span className="pht-user-name">{user.name}</span>
          <span className="pht-user-role" data-testid="user-role">
            {roleLabel(user.role)}
          </span>
        </p>
      )}
    </header>
  );
}
