// Whether what the user recorded has reached the journal (issue 15 item 3): the app writes journal notes to the
// EPJ through the server's write-back queue, so a note can be saved in the app and not yet in the journal.
// Every slice shows this next to what it saved; the server's API tells the state (server/epj/writeBack.ts
// journalStates). 'written' is quiet text, the others a tag the user notices.
import { Paragraph, Tag } from '@digdir/designsystemet-react';

export type JournalStateValue = 'pending' | 'written' | 'failed';

export const JOURNAL_STATE_TEXT: Record<JournalStateValue, string> = {
  pending: 'Ikke skrevet til journalen ennå',
  failed: 'Kunne ikke skrives til journalen – prøves igjen. Si fra til daglig leder hvis det varer.',
  written: 'Skrevet til journalen',
};

export function JournalState({ state }: { state: JournalStateValue }) {
  if (state === 'written') {
    return (
      <Paragraph data-size="sm" className="pht-journal-state" data-state="written">
        {JOURNAL_STATE_TEXT.written}
      </Paragraph>
    );
  }
  return (
    <Tag role="status" data-color={state === 'failed' ? 'danger' : 'warning'} data-size="sm" className="pht-journal-state" data-state={state}>
      {JOURNAL_STATE_TEXT[state]}
    </Tag>
  );
}
