import { Ring } from './ring.js';

/**
 * The live table's rows: events and "n skipped" markers in one ring, with pause. While paused, arrivals are held
 * (in a second ring, so memory stays bounded) and counted; resume moves them into the table in order.
 * Consecutive skipped notices with no event between them merge into one marker, so a long rate-limited stretch
 * is one row with the sum, not hundreds of rows.
 */
export class LiveRows {
  constructor(capacity = 10000) {
    this.rows = new Ring(capacity);
    this.held = new Ring(capacity);
    this.paused = false;
    this.arrivedWhilePaused = 0; // events and skipped counts since pause, even those the held ring overwrote
    this.skippedTotal = 0;
    this.eventsTotal = 0;
    this.seq = 0;
  }

  _target() {
    return this.paused ? this.held : this.rows;
  }

  addEvent(ev) {
    this.eventsTotal++;
    if (this.paused) this.arrivedWhilePaused++;
    this._target().push({ kind: 'event', id: ++this.seq, ev });
  }

  addSkipped(count, reason) {
    count = Number(count) || 0;
    if (count <= 0) return;
    this.skippedTotal += count;
    if (this.paused) this.arrivedWhilePaused += count;
    const ring = this._target();
    const last = ring.newest(0);
    if (last && last.kind === 'skipped' && last.reason === reason) {
      // replace rather than mutate: a view may hold the old row object
      ring.slots[(ring.total - 1) % ring.capacity] = { ...last, count: last.count + count };
      return;
    }
    ring.push({ kind: 'skipped', id: ++this.seq, count, reason });
  }

  pause() {
    this.paused = true;
    this.arrivedWhilePaused = 0;
  }

  resume() {
    this.paused = false;
    const n = this.held.size;
    for (let i = 0; i < n; i++) {
      const row = this.held.oldest(i);
      if (row.kind === 'skipped') {
        const last = this.rows.newest(0);
        if (last && last.kind === 'skipped' && last.reason === row.reason) {
          this.rows.slots[(this.rows.total - 1) % this.rows.capacity] = { ...last, count: last.count + row.count };
          continue;
        }
      }
      this.rows.push(row);
    }
    // the held ring lost rows if more than its capacity arrived: say so in the table
    const lost = this.heldLost();
    if (lost > 0) this.rows.push({ kind: 'skipped', id: ++this.seq, count: lost, reason: 'paused_overflow' });
    this.held.clear();
    this.arrivedWhilePaused = 0;
  }

  heldLost() {
    return Math.max(0, this.held.total - this.held.capacity);
  }

  clear() {
    this.rows.clear();
    this.held.clear();
    this.arrivedWhilePaused = 0;
  }
}
