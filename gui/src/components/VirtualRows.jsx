import { useEffect, useRef, useState, useLayoutEffect } from 'preact/hooks';
import { Virtualizer, observeElementRect, observeElementOffset, elementScroll } from '@tanstack/virtual-core';

/**
 * A virtualised <table> body: only the rows in view (plus overscan) are in the DOM, spacer rows keep the scroll
 * height, the header stays sticky. Rows have a fixed height (dense, one line each), so nothing is measured.
 * `count` and `rowAt(i)` come from the caller's ring; `version` changes when the ring does.
 */
export function VirtualRows({ count, rowAt, renderRow, header, rowHeight = 24, version, label, stickToTop = true, caption }) {
  const scrollRef = useRef(null);
  const [, setTick] = useState(0);
  const vRef = useRef(null);
  const lastCount = useRef(count);

  if (!vRef.current) {
    vRef.current = new Virtualizer({
      count,
      getScrollElement: () => scrollRef.current,
      estimateSize: () => rowHeight,
      overscan: 12,
      observeElementRect,
      observeElementOffset,
      scrollToFn: elementScroll,
      onChange: () => setTick((t) => t + 1),
    });
  }
  const v = vRef.current;
  v.setOptions({ ...v.options, count, getScrollElement: () => scrollRef.current });

  useEffect(() => v._didMount(), []);
  useLayoutEffect(() => {
    v._willUpdate();
  });

  // newest rows are inserted at the top: when the operator has scrolled down, keep the rows they are reading still
  useLayoutEffect(() => {
    const el = scrollRef.current;
    const added = count - lastCount.current;
    lastCount.current = count;
    if (stickToTop && el && added > 0 && el.scrollTop > 0) el.scrollTop += added * rowHeight;
  }, [version, count]);

  const items = v.getVirtualItems();
  const total = v.getTotalSize();
  const top = items.length ? items[0].start : 0;
  const bottom = items.length ? total - items[items.length - 1].end : 0;
  const cols = header.length;

  return (
    <div class="vscroll" ref={scrollRef} tabIndex={0} role="region" aria-label={label}>
      <table class="dense live">
        {caption ? <caption class="sr-only">{caption}</caption> : null}
        <thead>
          <tr>
            {header.map((h) => (
              <th key={h} scope="col">
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {top > 0 ? (
            <tr class="spacer" aria-hidden="true" style={{ height: top + 'px' }}>
              <td colSpan={cols} />
            </tr>
          ) : null}
          {items.map((it) => renderRow(rowAt(it.index), it.index))}
          {bottom > 0 ? (
            <tr class="spacer" aria-hidden="true" style={{ height: bottom + 'px' }}>
              <td colSpan={cols} />
            </tr>
          ) : null}
        </tbody>
      </table>
    </div>
  );
}
