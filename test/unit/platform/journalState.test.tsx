// @vitest-environment happy-dom
// The journal-state badge (issue 15 item 3) by role and text: the words are written by hand from the brief
// and GLOSSARY ("journalnotat", "journalen").
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, test } from 'vitest';
import '../../support/dom';
import { JournalState } from '../../../src/platform/ui/JournalState';

afterEach(cleanup);

describe('JournalState', () => {
  test('pending: a status that says it is not in the journal yet', () => {
    render(<JournalState state="pending" />);
    expect(screen.getByRole('status').textContent).toBe('Ikke skrevet til journalen ennå');
  });

  test('failed: a status that says it could not be written and is retried', () => {
    render(<JournalState state="failed" />);
    expect(screen.getByRole('status').textContent).toBe('Kunne ikke skrives til journalen – prøves igjen. Si fra til daglig leder hvis det varer.');
  });

  test('written: quiet text, no status to announce', () => {
    render(<JournalState state="written" />);
    expect(screen.queryByRole('status')).toBeNull();
    expect(screen.getByText('Skrevet til journalen')).toBeTruthy();
  });
});
