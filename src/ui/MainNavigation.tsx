import type { NavItem, ViewId } from './navigation';

interface Props {
  items: readonly NavItem[];
  current: ViewId | undefined;
  onSelect: (id: ViewId) => void;
}

/** State-based navigation: buttons (keyboard-operable by default) with aria-current on the active one. */
export function MainNavigation({ items, current, onSelect }: Props) {
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
            >
              {item.label}
            </button>
          </li>
        ))}
      </ul>
    </nav>
  );
}
