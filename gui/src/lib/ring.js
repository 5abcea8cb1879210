/**
 * A fixed-capacity ring of rows: push is O(1) and never copies, the oldest row is overwritten once full. Rows are
 * numbered by a monotonic sequence so a view can ask for "the n-th newest" without the ring ever moving memory.
 */
export class Ring {
  constructor(capacity) {
    if (!(capacity > 0)) throw new RangeError('capacity must be positive');
    this.capacity = capacity;
    this.slots = new Array(capacity);
    this.total = 0; // rows ever pushed; the next row's sequence number
  }

  get size() {
    return Math.min(this.total, this.capacity);
  }

  push(row) {
    this.slots[this.total % this.capacity] = row;
    this.total++;
  }

  /** The i-th newest row (0 = newest), or undefined past the end. */
  newest(i) {
    if (i < 0 || i >= this.size) return undefined;
    return this.slots[(this.total - 1 - i) % this.capacity];
  }

  /** The i-th oldest row still held (0 = oldest). */
  oldest(i) {
    if (i < 0 || i >= this.size) return undefined;
    return this.slots[(this.total - this.size + i) % this.capacity];
  }

  clear() {
    this.slots = new Array(this.capacity);
    this.total = 0;
  }

  /** Rows oldest first (copies; for tests and small rings). */
  toArray() {
    const out = [];
    for (let i = 0; i < this.size; i++) out.push(this.oldest(i));
    return out;
  }
}
