import type { NavItem, ViewId } from './navigation';

interface Props {
  items: readonly NavItem[];
  current: ViewId | undefined;
  onSelect: (id: ViewId) => void;
  /** The pointer on a button or the focus on it: the view may be chosen next (its code can start loading). */
  onIntent?: (id: ViewId) => void;
}

/** State-based navigation: buttons (keyboard-operable by default) with aria-current on the active one. */
export function MainNavigation({ items, current, onSelect, onIntent }: Props) {
  if (items.length === 0) return null;
  return (
    <nav className="pht-nav" aria-label="Hovedmeny">
      <ul>
        {items.map((item) => (
          <li key={item.id}>
            <button
              type="button"
              className="pht-nav-button"
              aria-current={item.id === current ? 'page' : undefined}
              onClick={() => onSelect(item.id)}
              onPointerEnter={onIntent && item.id !== current ? () => onIntent(item.id) : undefined}
              onFocus={onIntent && item.id !== current ? () => onIntent(item.id) : undefined}
            >
              {item.label}
            </button>
          </li>
        ))}
      </ul>
    </nav>
  );
}
