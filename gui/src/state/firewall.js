import { signal } from '@preact/signals';
import { api } from './session.js';
import { resource } from './resource.js';

/** The Firewall Manager (/api/v1/firewall): rulesets and their versions, the kernel, applies, the flow. */
const FW = '/api/v1/firewall';
const enc = encodeURIComponent;

export const showDeleted = signal(false);
/** {rulesets, kernel} */
export const rulesets = resource((deleted) => api.get(FW + '/rulesets', deleted ? { deleted: 'true' } : undefined));
export const loadRulesets = () => rulesets.load(showDeleted.value);
/** {name, versions, body} */
export const ruleset = resource((name) => api.get(FW + '/rulesets/' + enc(name)));
/** V + {body} */
export const getVersion = (name, v) => api.get(FW + '/rulesets/' + enc(name) + '/versions/' + enc(v));
/** {applies} newest first */
export const applies = resource(() => api.get(FW + '/applies', { limit: 50 }));
/** {left, right, equal, lines} */
export const diff = resource((name, version) => api.get(FW + '/diff', { name, version }));
/** {types} */
export const flowTypes = resource(() => api.get(FW + '/flow/types'));
/** F */
export const flow = resource((type, direction) => api.get(FW + '/flow', { type, direction }));

/** POST /rulesets: {name, comment, and one of body | from_profile | from_kernel | copy_of, force}. */
export const createRuleset = (req) => api.post(FW + '/rulesets', req);
export const validate = (body, mode) => api.post(FW + '/validate', { body, mode });
export const deleteRuleset = (name) => api.del(FW + '/rulesets/' + enc(name));
export const undeleteRuleset = (name) => api.post(FW + '/rulesets/' + enc(name) + '/undelete');

/**
 * POST /apply (or /rollback): the apply record either way. A refusal (422) carries it with the kernel's error in
 * the error's body: {ok, apply, errors, kernel_error}; anything else is thrown.
 */
async function applying(path, body) {
  try {
    return await api.post(FW + path, body);
  } catch (e) {
    if (e.status === 422 && e.body && e.body.apply) return e.body;
    throw e;
  }
}
export const apply = (body) => applying('/apply', body);
export const rollback = (applyId) => applying('/rollback', { apply_id: applyId });

export const exportRulesets = (names) => api.download(FW + '/export', { query: names && names.length ? { names: names.join(',') } : undefined, fallbackName: '' });
export const importBundle = (bundle, force) => api.post(FW + '/import' + (force ? '?force=true' : ''), bundle);

/** After a change: the list, the kernel banner and the applies read again. */
export function reloadFirewall() {
  return Promise.all([loadRulesets(), applies.load()]);
}
