import { Link } from './Link.jsx';

/** The operator tools under the header's Tools entry: one tab per page, like Automation's Rules | Analysis. */
export const TOOLS = [
  { href: '/firewall', label: 'Firewall', match: (p) => p === '/firewall' || p.startsWith('/firewall/rulesets') },
  { href: '/firewall/flow', label: 'Flow visualizer', match: (p) => p === '/firewall/flow' },
  { href: '/bulk', label: 'Bulk actions', match: (p) => p === '/bulk' },
  { href: '/captures', label: 'Captures', match: (p) => p === '/captures' },
];

export function ToolTabs({ current }) {
  return (
    <nav aria-label="Tools" class="tabs">
      {TOOLS.map((t) => (
        <Link key={t.href} href={t.href} aria-current={t.match(current) ? 'page' : undefined}>
          {t.label}
        </Link>
      ))}
    </nav>
  );
}
