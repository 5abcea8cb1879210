import { useEffect, useRef, useState } from 'preact/hooks';
import { summary, summaryError, unread, highest, seen, loadSummary, loadSeen, markSeen } from '../state/alarms.js';
import { attach, detach } from '../state/live.js';
import { Link } from './Link.jsx';
import { ErrorBox, Loading, Empty } from './States.jsx';
import { SeverityBadge, StateText, AlarmActions, roleReason } from './Alarm.jsx';
import { fmtAge, newsTime } from '../lib/alarms.js';
import { fmtTime } from '../lib/format.js';

function bellLabel(u, sev, err) {
  if (err) return 'Alarms: unavailable';
  if (!summary.value) return 'Alarms: loading';
  const open = summary.value.raised + summary.value.acknowledged;
  if (!open) return 'Alarms: none open';
  const n = u.n ? `${u.n}${u.more ? ' or more' : ''} unread, ` : 'none unread, ';
  return `Alarms: ${n}${open} open, the highest ${sev}`;
}

/**
 * The header's bell: the unread count (alarms raised or escalated since this user last opened the drop-down) on a
 * badge coloured by the highest open severity, and a drop-down of the latest open alarms with Acknowledge and Clear.
 * Mounted for as long as a user is signed in, it keeps the stream open (the alarm messages arrive on it).
 * Keyboard: the button toggles, the drop-down takes focus, Esc closes it and gives focus back to the button, focus
 * or a click leaving it closes it.
 */
export function Bell() {
  const [open, setOpen] = useState(false);
  const [before, setBefore] = useState(0); // the mark when this opening began: what was new then stays marked
  const [now, setNow] = useState(Date.now());
  const wrap = useRef(null);
  const button = useRef(null);
  const panel = useRef(null);

  useEffect(() => {
    loadSeen();
    loadSummary();
    attach();
    return detach;
  }, []);

  useEffect(() => {
    if (!open) return;
    markSeen();
    setNow(Date.now());
    if (panel.current) panel.current.focus();
    const outside = (e) => {
      if (wrap.current && !wrap.current.contains(e.target)) setOpen(false);
    };
    document.addEventListener('pointerdown', outside);
    const tick = setInterval(() => setNow(Date.now()), 15000); // ages
    return () => {
      document.removeEventListener('pointerdown', outside);
      clearInterval(tick);
    };
  }, [open]);

  // an alarm cleared from the list takes the focused button with it: focus stays in the drop-down
  useEffect(() => {
    if (open && panel.current && (!document.activeElement || document.activeElement === document.body)) panel.current.focus();
  });

  const show = () => {
    setBefore(seen.value);
    setOpen(true);
  };
  const close = (refocus) => {
    setOpen(false);
    if (refocus && button.current) button.current.focus();
  };
  const onKeyDown = (e) => {
    if (e.key === 'Escape' && open) {
      e.preventDefault();
      close(true);
    }
  };
  const onFocusOut = (e) => {
    if (open && e.relatedTarget && wrap.current && !wrap.current.contains(e.relatedTarget)) setOpen(false);
  };
  // following a link in the drop-down leaves it
  const onClick = (e) => {
    if (e.target.closest && e.target.closest('a')) setOpen(false);
  };

  const u = unread.value;
  const sev = highest.value;
  const err = summaryError.value;
  const s = summary.value;
  const who = roleReason();
  return (
    <div class="bell-wrap" ref={wrap} onKeyDown={onKeyDown} onFocusOut={onFocusOut} onClick={onClick}>
      <button
        type="button"
        ref={button}
        class={'bell' + (sev ? ' sev-' + sev : '') + (err ? ' unavailable' : '')}
        aria-label={bellLabel(u, sev, err)}
        title={err ? 'Alarms unavailable: ' + err.message : undefined}
        aria-expanded={open ? 'true' : 'false'}
        aria-controls="bell-panel"
        onClick={() => (open ? close(false) : show())}
      >
        <svg viewBox="0 0 16 16" width="16" height="16" aria-hidden="true">
          <path fill="currentColor" d="M8 1.5a4 4 0 0 0-4 4v2.7L2.8 11h10.4L12 8.2V5.5a4 4 0 0 0-4-4zM6.3 12.5a1.8 1.8 0 0 0 3.4 0z" />
        </svg>
        {u.n ? (
          <span class="count" aria-hidden="true">
            {u.n}
            {u.more ? '+' : ''}
          </span>
        ) : null}
      </button>
      {open ? (
        <div id="bell-panel" class="bell-panel" role="dialog" aria-labelledby="bell-h" tabIndex={-1} ref={panel}>
          <div class="panel-head">
            <h2 id="bell-h">Open alarms</h2>
            {s ? (
              <span class="muted small">
                {s.raised} raised · {s.acknowledged} acknowledged
              </span>
            ) : null}
          </div>
          {err ? (
            <ErrorBox error={err} title="Alarms unavailable" />
          ) : !s ? (
            <Loading what="Loading alarms" />
          ) : !s.latest.length ? (
            <Empty>No open alarm.</Empty>
          ) : (
            <ul class="bell-list">
              {s.latest.map((a) => (
                <li key={a.id} class={'alarm' + (newsTime(a) > before ? ' new' : '')}>
                  <div class="line">
                    <SeverityBadge s={a.severity} />
                    <Link href={'/alarms/' + encodeURIComponent(a.id)} class="title">
                      {a.title}
                    </Link>
                  </div>
                  <div class="line muted small">
                    <span title={fmtTime(a.raised_at) + ' UTC'}>raised {fmtAge(a.raised_at, now)} ago</span> · <StateText a={a} />
                    {a.occurrences > 1 ? ` · ${a.occurrences} times` : ''}
                    {newsTime(a) > before ? <strong class="new-mark"> · new</strong> : null}
                  </div>
                  <AlarmActions alarm={a} />
                </li>
              ))}
            </ul>
          )}
          {who ? <p class="muted small">{who}</p> : null}
          <div class="bell-foot">
            <Link href="/alarms">All alarms</Link>
            <Link href="/alarms/notifications">Notification settings</Link>
          </div>
        </div>
      ) : null}
    </div>
  );
}
