import { useEffect, useMemo, useRef, useState } from 'preact/hooks';

/** Line height and top padding in px: style.css `.code-editor` uses the same, so bands and line numbers align. */
const LH = 18;
const PAD = 6;

/**
 * A monospace JSON editor: a textarea (no wrapping) with line numbers, the objects something is wrong with marked
 * as red bands, and each problem's message beside its object. The marks are drawn for the eye only; `describedBy`
 * points at the list of problems that a screen reader reads (the page renders it). `jumpTo` ({start, end, line,
 * focus}) scrolls to an object and selects it (with `focus`, the caret moves there too).
 */
export function CodeEditor({ id, value, onInput, readOnly, problems = [], jumpTo, describedBy, invalid, label }) {
  const ta = useRef(null);
  const [top, setTop] = useState(0);
  const lines = useMemo(() => {
    let n = 1;
    for (let i = 0; i < value.length; i++) if (value.charCodeAt(i) === 10) n++;
    return n;
  }, [value]);
  const gutter = useMemo(() => Array.from({ length: lines }, (_, i) => i + 1).join('\n'), [lines]);

  useEffect(() => {
    const el = ta.current;
    if (!jumpTo || !el) return;
    el.scrollTop = Math.max(0, (jumpTo.line - 4) * LH);
    setTop(el.scrollTop);
    if (jumpTo.focus) {
      el.focus();
      if (jumpTo.start != null) el.setSelectionRange(jumpTo.start, jumpTo.end);
    }
  }, [jumpTo]);

  const placed = problems.filter((p) => p.line != null);
  const y = (line) => PAD + (line - 1) * LH - top;
  return (
    <div class={'code-editor' + (invalid ? ' invalid' : '')}>
      <div class="ce-bands" aria-hidden="true">
        {placed.map((p, i) => (
          <div key={i} class="ce-band" style={{ top: y(p.line) + 'px', height: (p.endLine - p.line + 1) * LH + 'px' }} />
        ))}
      </div>
      <pre class="ce-gutter" aria-hidden="true" style={{ transform: `translateY(${-top}px)`, minWidth: String(lines).length + 2 + 'ch' }}>
        {gutter}
      </pre>
      <textarea
        id={id}
        ref={ta}
        class="ce-text"
        wrap="off"
        spellcheck={false}
        autocomplete="off"
        autocapitalize="off"
        aria-label={label}
        readOnly={readOnly}
        aria-invalid={invalid ? 'true' : undefined}
        aria-describedby={describedBy}
        value={value}
        onInput={(e) => onInput && onInput(e.currentTarget.value)}
        onScroll={(e) => setTop(e.currentTarget.scrollTop)}
      />
      <div class="ce-callouts" aria-hidden="true">
        {placed.map((p, i) => (
          <div key={i} class="ce-callout" style={{ top: y(p.line) + 'px' }} title={p.message}>
            {p.index != null ? <b>#{p.index} </b> : null}
            {p.message}
          </div>
        ))}
      </div>
    </div>
  );
}
