/**
 * Health facts from /api/v1/ready, for the header: each fact is ok, warn or bad. A passive appliance (fed only by the
 * TZSP collector) has no queue, ruleset or fail-open to show; it shows how many remote agents it hears instead.
 */
export function healthFacts(r) {
  if (!r) return [{ k: 'API', v: 'checking…', level: 'warn' }];
  if (r.status === 0 || !r.body) return [{ k: 'API', v: 'unreachable', level: 'bad' }];
  const b = r.body;
  const status = { k: 'status', v: b.ready ? 'ready' : 'not ready', level: b.ready ? 'ok' : 'bad' };
  const clickhouse = { k: 'ClickHouse', v: b.clickhouse || '—', level: b.clickhouse === 'connected' ? 'ok' : 'bad' };
  const agents = b.collector_agents;
  const collector = agents === undefined ? [] : [{
    k: 'remote agents',
    v: `${agents} heard`,
    level: agents > 0 ? 'ok' : 'warn',
  }];
  if (b.mode === 'passive') {
    return [status, { k: 'mode', v: 'passive (TZSP collector)', level: 'ok' }, ...collector, clickhouse];
  }
  return [
    status,
    {
      k: 'queues',
      v: `${b.queues_bound ?? '?'}/${b.queues ?? '?'} bound`,
      level: b.queues && b.queues_bound === b.queues ? 'ok' : 'bad',
    },
    { k: 'transport', v: b.transport || '—', level: 'ok' },
    { k: 'queue mode', v: b.queue_mode || '—', level: 'ok' },
    clickhouse,
    { k: 'ruleset', v: b.ruleset || '—', level: b.ruleset === 'installed' ? 'ok' : 'bad' },
    {
      k: 'fail-open',
      v: b.fail_open_in_effect ? 'IN EFFECT' : 'standby',
      level: b.fail_open_in_effect ? 'bad' : 'ok',
    },
    ...collector,
  ];
}
