import { test } from 'node:test';
import assert from 'node:assert/strict';
import { healthFacts } from '../src/lib/health.js';

const facts = (body) => Object.fromEntries(healthFacts({ status: 200, body }).map((f) => [f.k, [f.v, f.level]]));

test('an inline appliance shows its queues, ruleset and fail-open', () => {
  const f = facts({ ready: true, mode: 'inline', queues: 2, queues_bound: 2, transport: 'epoll', queue_mode: 'xt',
    clickhouse: 'connected', ruleset: 'installed', fail_open_in_effect: false });
  assert.deepEqual(f.queues, ['2/2 bound', 'ok']);
  assert.deepEqual(f['fail-open'], ['standby', 'ok']);
  assert.equal(f['remote agents'], undefined, 'no collector, no agents fact');
});

test('a passive collector shows its mode and the agents it hears, not a queue it does not have', () => {
  const f = facts({ ready: true, mode: 'passive', queues: 0, queues_bound: 0, fail_open_in_effect: false,
    ruleset: 'not managed (enforcement.install_ruleset: false)', clickhouse: 'connected', collector_agents: 3 });
  assert.deepEqual(f.mode, ['passive (TZSP collector)', 'ok']);
  assert.deepEqual(f['remote agents'], ['3 heard', 'ok']);
  assert.equal(f.queues, undefined);
  assert.equal(f.ruleset, undefined);
  assert.equal(f['fail-open'], undefined);
  assert.deepEqual(facts({ ready: true, mode: 'passive', collector_agents: 0 })['remote agents'], ['0 heard', 'warn']);
});

test('an unreachable API is one bad fact', () => {
  assert.deepEqual(healthFacts({ status: 0 }), [{ k: 'API', v: 'unreachable', level: 'bad' }]);
  assert.equal(healthFacts(null)[0].level, 'warn');
});
