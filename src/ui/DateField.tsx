// A date (or date and time, or month) typed as dd.mm.åååå (tt:mm) in a text field, the same in every
// browser locale (issue 17 item 11; GLOSSARY: dates dd.mm.åååå). The parent keeps an ISO string; while
// the text is not a valid date the parent gets '' and, once the user leaves the field, a Norwegian
// message naming the field.
import { useState } from 'react';
import { Textfield } from '@digdir/designsystemet-react';
import { formatTyped, parseDate, parseDateTime, parseMonth } from './format';

const PARSERS = { date: parseDate, 'date-time': parseDateTime, month: parseMonth } as const;
const PLACEHOLDER = { date: 'dd.mm.åååå', 'date-time': 'dd.mm.åååå tt:mm', month: 'mm.åååå' } as const;

interface Props {
  label: string;
  /** ISO: YYYY-MM-DD, YYYY-MM-DDTHH:mm or YYYY-MM; '' when empty or invalid. */
  value: string;
  onChange: (iso: string) => void;
  kind?: keyof typeof PARSERS;
  /** A message from the form (e.g. «kan ikke være fram i tid»); the field's own format message wins. */
  error?: string | undefined;
  disabled?: boolean;
  description?: string;
  'data-testid'?: string;
}

export function DateField({ label, value, onChange, kind = 'date', error, disabled, description, ...rest }: Props) {
  const [text, setText] = useState(() => (value ? formatTyped(value) : ''));
  const [touched, setTouched] = useState(false);
  // A new value from outside (a reset, a new default) replaces the text; adjusting state while
  // rendering, as React recommends over an effect.
  const [seen, setSeen] = useState(value);
  if (seen !== value) {
    setSeen(value);
    const current = PARSERS[kind](text, label);
    if (value && !(current.ok && current.value === value)) setText(formatTyped(value));
    else if (!value && current.ok) setText('');
  }
  const parsed = PARSERS[kind](text, label);
  const own = touched && text.trim() !== '' && !parsed.ok ? parsed.message : undefined;
  return (
    <Textfield
      label={label}
      inputMode="numeric"
      autoComplete="off"
      placeholder={PLACEHOLDER[kind]}
      description={description}
      value={text}
      disabled={disabled}
      error={own ?? error}
      onBlur={() => setTouched(true)}
      onChange={(e) => {
        const next = e.target.value;
        setText(next);
        const p = PARSERS[kind](next, label);
        onChange(p.ok ? p.value : '');
      }}
      data-testid={rest['data-testid']}
    />
  );
}
