// The inbox rows as the view shows them (pure): the server's row plus the countdown as of the browser's
// today, and the sections of the page.
import { worklistUrgency } from '../../domain/followUp';
import type { CalendarOptions } from '../../domain/calendar';
import { formatDate } from '../../ui/format';
import type { InboxRow } from '../follow-up/api';

export interface InboxView extends InboxRow {
  /** «20.11.2026», or «utskrivningsdato mangler». */
  dischargeDateText: string;
  /** No discharge date in any message (and none confirmed): the deadline runs from the message date. */
  needsDateConfirmation: boolean;
  /** 0 = due today, > 0 working days left, < 0 overdue; undefined without a deadline or when done. */
  workingDaysLeft?: number;
}

export function inboxView(row: InboxRow, today: string, calendar?: CalendarOptions): InboxView {
  const done = row.task !== null && row.task.status !== 'new' && row.task.status !== 'attempted';
  const left = row.deadline && !done ? worklistUrgency({ id: row.key, deadline: row.deadline, status: 'new' }, today, calendar).workingDaysLeft : undefined;
  return {
    ...row,
    dischargeDateText: row.dischargeDate ? formatDate(row.dischargeDate) : 'utskrivningsdato mangler',
    needsDateConfirmation: row.dischargeDate === null,
    ...(left !== undefined ? { workingDaysLeft: left } : {}),
  };
}

export interface InboxSections {
  toTriage: InboxView[];
  errors: InboxView[];
  handled: InboxView[];
  history: InboxView[];
}

/** To triage (most urgent first), errors, handled (with a task), history (SPEC §4: no task). */
export function inboxSections(rows: readonly InboxView[]): InboxSections {
  const out: InboxSections = { toTriage: [], errors: [], handled: [], history: [] };
  for (const row of rows) {
    if (row.task) out.handled.push(row);
    else if (row.errors.length > 0 || row.decision.reason === 'has-errors') out.errors.push(row);
    else if (row.decision.reason === 'historic') out.history.push(row);
    else out.toTriage.push(row);
  }
  out.toTriage.sort((a, b) => (a.workingDaysLeft ?? 99) - (b.workingDaysLeft ?? 99) || (a.key < b.key ? -1 : 1));
  return out;
}
