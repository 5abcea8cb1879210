import { useEffect, useRef, useState, useLayoutEffect } from 'preact/hooks';
import { Virtualizer, observeElementRect, observeElementOffset, elementScroll } from '@tanstack/virtual-core';

/**
 * A virtualised <table> body: only the rows in view (plus overscan) are in the DOM, spacer rows keep the scroll
 * height, the header stays sticky. Rows have a fixed height (dense, one line each), so nothing is measured.
 * `count` and `rowAt(i)` come from the caller's ring; `version` changes when the ring does.
 */
export function VirtualRows({ count, total = count, rowAt, renderRow, header, widths, rowHeight = 24, version, label, stickToTop = true, caption }) {
  const scrollRef = useRef(null);
  const [, setTick] = useState(0);
  const vRef = useRef(null);
  const lastTotal = useRef(total);
  const scrolled = useRef(0); // scrollTop as last seen by the scroll listener: reading it here would force a layout

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

  useEffect(() => {
    const el = scrollRef.current;
    const onScroll = () => (scrolled.current = el.scrollTop);
    el.addEventListener('scroll', onScroll, { passive: true });
    const undo = v._didMount();
    return () => {
      el.removeEventListener('scroll', onScroll);
      undo && undo();
    };
  }, []);
  useLayoutEffect(() => {
    v._willUpdate();
  });

  // newest rows are inserted at the top: when the operator has scrolled down, keep the rows they are reading still
  useLayoutEffect(() => {
    const el = scrollRef.current;
    const added = total - lastTotal.current; // the ring's running total: its size stops growing once full
    lastTotal.current = total;
    if (stickToTop && el && added > 0 && scrolled.current > 0) {
      el.scrollTop = scrolled.current + added * rowHeight;
      scrolled.current = el.scrollTop;
    }
  }, [version, total]);

  const items = v.getVirtualItems();
  const height = v.getTotalSize();
  const top = items.length ? items[0].start : 0;
  const bottom = items.length ? height - items[items.length - 1].end : 0;
  const cols = header.length;

  return (
    <div class="vscroll" ref={scrollRef} tabIndex={0} role="region" aria-label={label}>
      <table class="dense live">
        {caption ? <caption class="sr-only">{caption}</caption> : null}
        {widths ? (
          <colgroup>
            {widths.map((w, i) => (
              <col key={i} style={{ width: w }} />
            ))}
          </colgroup>
        ) : null}
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
          {items.map((it) => renderRow(rowAt(it.index), it.index, it.index))}
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
