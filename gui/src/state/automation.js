import { api } from './session.js';
import { resource } from './resource.js';

const RULES = '/api/v1/automation/rules';
const enc = encodeURIComponent;
const ACTIVE_KEY = 'operational.automation.active';

/** The rules ({rules: [{rule, version, updated_by, updated_at}]}). */
export const rules = resource(() => api.get(RULES));
/** Recent runs of every rule (the table's "last run"): the API's default range, the last day. */
export const recentRuns = resource(() => api.get('/api/v1/automation/runs', { limit: 1000 }));
/** One rule's runs over the last 7 days, newest first. */
export const ruleRuns = resource((id) =>
  api.get('/api/v1/automation/runs', { rule: id, from: new Date(Date.now() - 7 * 86400e3).toISOString(), limit: 100 }),
);
/** operational.automation.active: {key, value: "true"|"false", source, default, ...} from /api/v1/config. */
export const activeKey = resource(async () => {
  const c = await api.get('/api/v1/config');
  return (c.keys || []).find((k) => k.key === ACTIVE_KEY) || null;
});

export function reloadRules() {
  return Promise.all([rules.load(), recentRuns.load()]);
}

export const createRule = (rule) => api.post(RULES, rule);
export const updateRule = (id, rule) => api.put(RULES + '/' + enc(id), rule);
export const deleteRule = (id) => api.del(RULES + '/' + enc(id));
export const setEnabled = (id, enabled) => api.patch(RULES + '/' + enc(id), { enabled });
/** Dry run of a rule as drafted (not saved): acts on nothing, recorded as a dry_run. */
export const dryRunDraft = (rule) => api.post('/api/v1/automation/dry-run', rule);
/** Run a stored rule now: it acts (suppression applies). */
export const runNow = (id) => api.post(RULES + '/' + enc(id) + '/run');

export async function setActive(on) {
  await api.put('/api/v1/config/' + ACTIVE_KEY, { value: on ? 'true' : 'false' });
  await activeKey.load();
}
