import { useState, useRef, useEffect } from 'preact/hooks';

/**
 * A button that asks before it does something that acts or cannot be undone: the first press shows the question
 * with a confirm and a cancel button in place (keyboard focus moves to the confirm), no browser dialog.
 */
export function ConfirmButton({ label, question, confirmLabel, onConfirm, busy, class: cls, disabled }) {
  const [asking, setAsking] = useState(false);
  const yes = useRef(null);
  useEffect(() => {
    if (asking && yes.current) yes.current.focus();
  }, [asking]);
  if (!asking)
    return (
      <button type="button" class={cls} disabled={disabled || busy} onClick={() => setAsking(true)}>
        {busy ? label + '…' : label}
      </button>
    );
  return (
    <span class="confirm" role="group" aria-label={question}>
      <span class="q">{question}</span>
      <button
        type="button"
        ref={yes}
        class={'danger ' + (cls || '')}
        onClick={() => {
          setAsking(false);
          onConfirm();
        }}
      >
        {confirmLabel || label}
      </button>
      <button type="button" onClick={() => setAsking(false)}>
        Cancel
      </button>
    </span>
  );
}
