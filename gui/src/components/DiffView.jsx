import { useState } from 'preact/hooks';
import { diffRows, diffCounts } from '../lib/firewall.js';

/**
 * A diff of a saved ruleset against the running kernel (GET /firewall/diff): "-" lines only in the snapshot, "+"
 * lines only in the kernel, unchanged runs folded around the changes (a button shows them). Each sign is also said
 * in words for a screen reader.
 */
export function DiffView({ d }) {
  const [expanded, setExpanded] = useState(false);
  if (d.equal || !(d.lines || []).some((l) => l.op !== ' ')) {
    return (
      <p class="state ok" role="status">
        {d.left} and the running kernel are the same (compared terse and stateless: no set elements, no counter values).
      </p>
    );
  }
  const { added, removed } = diffCounts(d.lines);
  const rows = diffRows(d.lines, { expanded });
  return (
    <>
      <ul class="diff-legend" aria-label="Legend">
        <li class="del">
          <span class="sign" aria-hidden="true">−</span> only in {d.left} ({removed} line{removed === 1 ? '' : 's'})
        </li>
        <li class="add">
          <span class="sign" aria-hidden="true">+</span> only in the {d.right === 'kernel' ? 'running kernel' : d.right} ({added} line{added === 1 ? '' : 's'})
        </li>
        <li>
          <button type="button" class="link" aria-pressed={expanded ? 'true' : 'false'} onClick={() => setExpanded(!expanded)}>
            {expanded ? 'Fold unchanged lines' : 'Show every line'}
          </button>
        </li>
      </ul>
      <div class="diff-scroll" tabIndex={0} aria-label={`Diff of ${d.left} against the ${d.right}`}>
        <table class="diff">
          <thead class="sr-only">
            <tr>
              <th scope="col">{d.left} line</th>
              <th scope="col">kernel line</th>
              <th scope="col">change</th>
              <th scope="col">text</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r, i) =>
              r.op === 'fold' ? (
                <tr key={'f' + i} class="fold">
                  <td colSpan={4}>
                    <button type="button" class="link" onClick={() => setExpanded(true)}>
                      {r.count} unchanged lines
                    </button>
                  </td>
                </tr>
              ) : (
                <tr key={i} class={r.op}>
                  <td class="ln">{r.left ?? ''}</td>
                  <td class="ln">{r.right ?? ''}</td>
                  <td class="sign">
                    <span aria-hidden="true">{r.op === 'add' ? '+' : r.op === 'del' ? '−' : ''}</span>
                    {r.op !== 'same' ? <span class="sr-only">{r.op === 'add' ? 'only in the kernel' : 'only in ' + d.left}</span> : null}
                  </td>
                  <td class="text">{r.text}</td>
                </tr>
              ),
            )}
          </tbody>
        </table>
      </div>
    </>
  );
}
