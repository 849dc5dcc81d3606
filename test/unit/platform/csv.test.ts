// The one CSV writer (issue 12 item 14): formula cells neutralised per OWASP "CSV Injection" (also after
// leading whitespace, tab or carriage return), numbers kept usable, quoting per RFC 4180, and a download
// that attaches its link before clicking and revokes the URL only afterwards. Expected values by hand.
import { describe, expect, test } from 'vitest';
import { csvCell, downloadCsv, toCsv, type DownloadDeps } from '../../../src/platform/csv';

describe('csvCell', () => {
  test.each<[string, string | number, string]>([
    ['plain text', 'Kari Nordmann', 'Kari Nordmann'],
    ['formula =', '=1+1', "'=1+1"],
    ['formula +', '+47 99 99 99 99', "'+47 99 99 99 99"],
    ['formula -', '-5', "'-5"],
    ['formula @', '@SUM(A1)', "'@SUM(A1)"],
    ['space before =', ' =1+1', "' =1+1"],
    ['several spaces before +', '   +cmd', "'   +cmd"],
    ['tab before =', '\t=cmd', "'\t=cmd"],
    ['leading tab alone', '\tx', "'\tx"],
    ['carriage return before @', '\r@SUM', "\"'\r@SUM\""],
    ['newline before = (quoted)', '\n=1', "\"'\n=1\""],
    ['formula with quotes', '=HYPERLINK("x")', `"'=HYPERLINK(""x"")"`],
    ['= later in the text', 'a=b', 'a=b'],
    ['negative number as number', -5, '-5'],
    ['positive number', 152, '152'],
    ['decimal number', 0.125, '0.125'],
    ['NaN is empty', Number.NaN, ''],
    ['quotes doubled', 'si "hei"', '"si ""hei"""'],
    ['separator quoted', 'a;b', '"a;b"'],
    ['comma is not the separator', 'Oslo, Norge', 'Oslo, Norge'],
    ['newline quoted', 'linje 1\nlinje 2', '"linje 1\nlinje 2"'],
    ['empty', '', ''],
    ['æøå kept', 'Ærlig Øvre Åsen', 'Ærlig Øvre Åsen'],
  ])('%s', (_name, value, expected) => {
    expect(csvCell(value)).toBe(expected);
  });

  test('with a comma separator, a comma is quoted and a semicolon is not', () => {
    expect(csvCell('Oslo, Norge', ',')).toBe('"Oslo, Norge"');
    expect(csvCell('a;b', ',')).toBe('a;b');
  });
});

describe('toCsv', () => {
  test('BOM, header, rows, CRLF after every row', () => {
    expect(toCsv(['navn', 'beløp'], [['=x', -120], ['Åse', 3]])).toBe("\uFEFFnavn;beløp\r\n'=x;-120\r\nÅse;3\r\n");
  });
  test('no rows: the header alone', () => {
    expect(toCsv(['a', 'b'], [])).toBe('\uFEFFa;b\r\n');
  });
});

describe('downloadCsv', () => {
  function fakeDom() {
    const events: string[] = [];
    const scheduled: (() => void)[] = [];
    const link = {
      href: '',
      download: '',
      hidden: false,
      click: () => events.push(`click ${link.download} attached=${String(attached.has(link))}`),
      remove: () => {
        attached.delete(link);
        events.push('remove');
      },
    };
    const attached = new Set<unknown>();
    const document = {
      createElement: (tag: string) => {
        events.push(`create ${tag}`);
        return link;
      },
      body: {
        append: (node: unknown) => {
          attached.add(node);
          events.push('append');
        },
      },
    };
    const deps = {
      document: document as unknown as Document,
      createObjectURL: () => {
        events.push('createObjectURL');
        return 'blob:csv-1';
      },
      revokeObjectURL: (url: string) => events.push(`revoke ${url} attached=${String(attached.has(link))}`),
      later: (run: () => void) => {
        events.push('later');
        scheduled.push(run);
      },
    } satisfies DownloadDeps;
    return { events, scheduled, deps, link };
  }

  test('attaches the link, clicks, removes it, and revokes the URL only in a later task', () => {
    const { events, scheduled, deps, link } = fakeDom();
    downloadCsv('liste.csv', 'a;b\r\n', deps);
    expect(link.href).toBe('blob:csv-1');
    expect(events).toEqual(['createObjectURL', 'create a', 'append', 'click liste.csv attached=true', 'remove', 'later']);
    for (const run of scheduled) run();
    expect(events.at(-1)).toBe('revoke blob:csv-1 attached=false');
  });
});
