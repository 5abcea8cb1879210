import { connection } from '../state/live.js';

/** The stream connection's state next to a page's title: live, connecting, reconnecting (with why), closed. */
export function ConnectionState() {
  const c = connection.value;
  const label = {
    open: 'live',
    connecting: 'connecting…',
    reconnecting: `reconnecting in ${Math.round((c.delay || 0) / 1000)} s${c.code ? ` (closed ${c.code}${c.reason ? ': ' + c.reason : ''})` : ''}`,
    closed: 'closed',
    unauthenticated: 'not signed in',
  }[c.state] || c.state;
  return (
    <span class={'conn conn-' + c.state} role="status">
      <span class="dot" aria-hidden="true" /> {label}
    </span>
  );
}
