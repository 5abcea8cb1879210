import { useState } from 'preact/hooks';
import { ACTIONS, DURATIONS, parseDuration, targetKind } from '../lib/dhcp.js';
import { applyAction } from '../state/actions.js';
import { ErrorBox } from './States.jsx';
import { fmtExpiry } from '../lib/format.js';

let uid = 0;

/**
 * Take an action: one button per action, a duration preset (or custom, e.g. "90m", "3d") and a reason that follows
 * the action into the history. With `target` fixed (device page) only the buttons and options show.
 */
export function ActionForm({ target: fixedTarget, onDone }) {
  const [id] = useState(() => 'af' + ++uid);
  const [target, setTarget] = useState('');
  const [duration, setDuration] = useState('15m');
  const [custom, setCustom] = useState('');
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(null);
  const [error, setError] = useState(null);
  const [result, setResult] = useState(null);

  const targets = fixedTarget
    ? [fixedTarget]
    : target
        .split(/[\s,]+/)
        .map((t) => t.trim())
        .filter(Boolean);
  const badTarget = targets.find((t) => !targetKind(t));
  const customSecs = duration === 'custom' ? parseDuration(custom) : null;

  async function run(action) {
    setError(null);
    setResult(null);
    if (!targets.length) return setError({ message: 'Enter a MAC, 0x client mark or DUID.' });
    if (badTarget) return setError({ message: `"${badTarget}" is not a MAC, 0x client mark or DUID.` });
    let secs = null;
    if (action.takesDuration) {
      if (duration === 'custom') {
        if (!customSecs) return setError({ message: 'Custom duration: a number with s, m, h or d, e.g. 90m.' });
        secs = customSecs;
      } else secs = DURATIONS.find((d) => d.id === duration).secs;
    }
    setBusy(action.id);
    try {
      const out = await applyAction({ action: action.id, targets, duration_secs: secs, reason: reason.trim() });
      setResult({ action: action.label, records: out.records || [] });
      onDone && onDone(out);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(null);
    }
  }

  return (
    <form class="action-form" onSubmit={(e) => e.preventDefault()} aria-label="Take an action">
      {fixedTarget ? null : (
        <div class="field wide">
          <label for={id + '-t'}>Targets (MAC, 0x mark or DUID; several separated by spaces)</label>
          <input id={id + '-t'} value={target} onInput={(e) => setTarget(e.currentTarget.value)} placeholder="00:0c:01:02:03:04" spellcheck={false} autocomplete="off" />
        </div>
      )}
      <div class="row">
        <div class="field">
          <label for={id + '-d'}>Duration</label>
          <select id={id + '-d'} value={duration} onChange={(e) => setDuration(e.currentTarget.value)}>
            {DURATIONS.map((d) => (
              <option key={d.id} value={d.id}>
                {d.label}
              </option>
            ))}
          </select>
        </div>
        {duration === 'custom' ? (
          <div class="field">
            <label for={id + '-c'}>Custom (e.g. 90m, 3d)</label>
            <input id={id + '-c'} size={8} value={custom} onInput={(e) => setCustom(e.currentTarget.value)} aria-invalid={custom && !customSecs ? 'true' : undefined} />
          </div>
        ) : null}
        <div class="field grow">
          <label for={id + '-r'}>Reason</label>
          <input id={id + '-r'} value={reason} maxLength={500} onInput={(e) => setReason(e.currentTarget.value)} placeholder="why (goes into the history)" />
        </div>
      </div>
      <div class="buttons" role="group" aria-label="Actions">
        {ACTIONS.map((a) => (
          <button key={a.id} type="button" class={'act act-' + a.id} disabled={!!busy} onClick={() => run(a)} title={a.hint + (a.takesDuration ? '' : ' (no duration)')}>
            {busy === a.id ? a.label + '…' : a.label}
          </button>
        ))}
      </div>
      <ErrorBox error={error} title="Not done" />
      {result ? (
        <p class="state ok" role="status">
          {result.action}:{' '}
          {result.records.length
            ? result.records.map((r) => `${r.state || 'done'} (${fmtExpiry(r.expires_at)})`).join(', ')
            : 'done'}
        </p>
      ) : null}
    </form>
  );
}
