import { useState } from 'preact/hooks';
import { canAct, role } from '../state/session.js';
import { acknowledge, clear, refreshAfterConflict } from '../state/alarms.js';
import { ErrorBox } from './States.jsx';

/** A severity as a coloured badge (the word is always there: colour is never the only sign). */
export function SeverityBadge({ s }) {
  return <span class={'badge sev-' + s}>{s}</span>;
}

export function StateText({ a }) {
  return <span class={'alarm-state st-' + a.state}>{a.state}</span>;
}

/** Why this user may not acknowledge or clear (viewers), or null. */
export function roleReason() {
  if (canAct.value) return null;
  return `Your role (${role.value || 'none'}) may look at alarms but not acknowledge or clear them: that takes an operator.`;
}

/**
 * Acknowledge and Clear for one alarm (with an optional note on the detail page). Viewers see both disabled with a
 * title saying why, so they know the controls exist; a button that does not apply to the alarm's state is disabled
 * with its reason. A 409 (the alarm cleared meanwhile) is shown as the API said it and the views read it again.
 */
export function AlarmActions({ alarm, withNote, idPrefix = 'al', onDone }) {
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(null);
  const [error, setError] = useState(null);
  const [done, setDone] = useState(null);
  const who = roleReason();
  const ackWhy =
    who ||
    (alarm.state === 'acknowledged'
      ? `Already acknowledged${alarm.acknowledged_by ? ' by ' + alarm.acknowledged_by : ''}`
      : alarm.state === 'cleared'
        ? 'The alarm is cleared'
        : null);
  const clearWhy = who || (alarm.state === 'cleared' ? `Already cleared${alarm.cleared_by ? ' by ' + alarm.cleared_by : ''}` : null);

  async function run(verb) {
    setBusy(verb);
    setError(null);
    setDone(null);
    try {
      await (verb === 'ack' ? acknowledge : clear)(alarm.id, withNote ? note : '');
      setNote('');
      if (withNote) setDone(verb === 'ack' ? 'Acknowledged.' : 'Cleared.');
      if (onDone) onDone(verb);
    } catch (e) {
      setError(e);
      if (e.status === 409) refreshAfterConflict(alarm.id);
    } finally {
      setBusy(null);
    }
  }
  // in a list of alarms each button says which alarm it is for; the visible word stays first (label in name)
  const named = (verb) => (withNote ? undefined : `${verb}: ${alarm.title}`);
  return (
    <div class={'alarm-actions' + (withNote ? ' with-note' : '')}>
      {withNote ? (
        <div class="field grow">
          <label for={idPrefix + '-note'}>Note (optional)</label>
          <input id={idPrefix + '-note'} maxLength={500} value={note} disabled={!!who} onInput={(e) => setNote(e.currentTarget.value)} />
        </div>
      ) : null}
      <div class="field buttons">
        <button type="button" class="ack" disabled={!!ackWhy || !!busy} title={ackWhy || undefined} aria-label={named('Acknowledge')} onClick={() => run('ack')}>
          {busy === 'ack' ? 'Acknowledging…' : 'Acknowledge'}
        </button>
        <button type="button" class="clear" disabled={!!clearWhy || !!busy} title={clearWhy || undefined} aria-label={named('Clear')} onClick={() => run('clear')}>
          {busy === 'clear' ? 'Clearing…' : 'Clear'}
        </button>
      </div>
      {error ? <ErrorBox error={error} title={error.status === 409 ? 'Conflict: not changed' : 'Not done'} /> : null}
      {done ? (
        <p class="state ok" role="status">
          {done}
        </p>
      ) : null}
    </div>
  );
}
