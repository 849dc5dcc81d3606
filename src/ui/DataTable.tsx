// A virtualised, sortable table for long lists (20,000 rows): only the visible rows are in the DOM
// (@tanstack/react-virtual). ARIA table roles with aria-rowcount/aria-rowindex tell assistive technology
// the real size. Rows open on click or Enter/Space.
import { useRef, type KeyboardEvent, type MouseEvent, type ReactNode } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';

export interface Column<T> {
  id: string;
  header: string;
  /** CSS grid track, e.g. '2fr' or '8rem'. */
  width: string;
  cell: (row: T) => ReactNode;
  sortable?: boolean;
}

export interface SortState {
  column: string;
  direction: 'ascending' | 'descending';
}

interface Props<T> {
  label: string;
  rows: readonly T[];
  columns: readonly Column<T>[];
  rowKey: (row: T) => string;
  sort?: SortState;
  onSort?: (column: string) => void;
  onRowOpen?: (row: T) => void;
  rowLabel?: (row: T) => string;
  height?: number;
  rowHeight?: number;
  testId?: string;
}

export function DataTable<T>({ label, rows, columns, rowKey, sort, onSort, onRowOpen, rowLabel, height = 520, rowHeight = 48, testId }: Props<T>) {
  const scrollRef = useRef<HTMLDivElement>(null);
  // eslint-disable-next-line react-hooks/incompatible-library -- TanStack Virtual returns functions that React Compiler must not memoize; this component is not compiled.
  const virtualizer = useVirtualizer({ count: rows.length, getScrollElement: () => scrollRef.current, estimateSize: () => rowHeight, overscan: 8 });
  const template = columns.map((c) => c.width).join(' ');
  const grid = { display: 'grid', gridTemplateColumns: template, alignItems: 'center', gap: 'var(--ds-size-2)', padding: '0 var(--ds-size-3)' };

  /** A cell cut with an ellipsis shows its full text on hover, whatever it renders (issue 17 item 12). */
  function showCutText(event: MouseEvent<HTMLDivElement>) {
    const cell = (event.target as HTMLElement).closest<HTMLElement>('[role="cell"]');
    if (cell && !cell.title && cell.scrollWidth > cell.clientWidth) cell.title = cell.innerText;
  }

  function onKey(event: KeyboardEvent, row: T) {
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      onRowOpen?.(row);
    }
  }

  return (
    <div role="table" aria-label={label} aria-rowcount={rows.length + 1} data-testid={testId} className="pht-datatable">
      <div role="rowgroup">
        <div role="row" aria-rowindex={1} style={{ ...grid, minHeight: rowHeight, borderBottom: '2px solid var(--ds-color-neutral-border-default)', fontWeight: 600 }}>
          {columns.map((c) => (
            <div role="columnheader" key={c.id} className="pht-datatable-header" title={c.header} aria-sort={sort?.column === c.id ? sort.direction : c.sortable ? 'none' : undefined}>
              {c.sortable && onSort ? (
                <button type="button" className="pht-datatable-sort" onClick={() => onSort(c.id)}>
                  {c.header}
                  <span aria-hidden="true">{sort?.column === c.id ? (sort.direction === 'ascending' ? ' ▲' : ' ▼') : ''}</span>
                </button>
              ) : (
                c.header
              )}
            </div>
          ))}
        </div>
      </div>
      {/* contain: strict: the scroll area's size never depends on its rows, so scrolling re-lays out only the
          few rows in view (bench/sections/scroll.ts: less work per frame). */}
      <div ref={scrollRef} role="rowgroup" style={{ height, overflowY: 'auto', position: 'relative', contain: 'strict' }} tabIndex={-1}>
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {virtualizer.getVirtualItems().map((item) => {
            const row = rows[item.index];
            if (row === undefined) return null;
            return (
              <div
                role="row"
                key={rowKey(row)}
                aria-rowindex={item.index + 2}
                aria-label={rowLabel?.(row)}
                tabIndex={onRowOpen ? 0 : undefined}
                onClick={onRowOpen ? () => onRowOpen(row) : undefined}
                onKeyDown={onRowOpen ? (e) => onKey(e, row) : undefined}
                onMouseOver={showCutText}
                className="pht-datatable-row"
                data-testid="datatable-row"
                style={{ ...grid, position: 'absolute', top: 0, left: 0, right: 0, height: rowHeight, transform: `translateY(${item.start}px)`, cursor: onRowOpen ? 'pointer' : undefined, borderBottom: '1px solid var(--ds-color-neutral-border-subtle)' }}
              >
                {columns.map((c) => {
                  const content = c.cell(row);
                  // A cut value shows in full on hover (issue 17 item 12: the app runs in a 1024 px EPJ window).
                  return (
                    <div role="cell" key={c.id} title={typeof content === 'string' ? content : undefined} style={{ overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }}>
                      {content}
                    </div>
                  );
                })}
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
