import { signal } from '@preact/signals';
import { api } from './session.js';
import { resource } from './resource.js';
import { newCriteriaForm, newJobForm } from '../lib/bulk.js';

/** Bulk actions (/api/v1/bulk): the wizard's draft survives leaving the page; the jobs list is polled while one runs. */
const BULK = '/api/v1/bulk';

export const wizard = signal({ step: 1, criteria: newCriteriaForm(), job: newJobForm(), sent: null, preview: null, problems: {} });
export function resetWizard() {
  wizard.value = { step: 1, criteria: newCriteriaForm(), job: newJobForm(), sent: null, preview: null, problems: {} };
}

/** {jobs} */
export const jobs = resource(() => api.get(BULK + '/jobs'));
export const preview = (criteria, sample) => api.post(BULK + '/preview', { criteria, sample });
export const createJob = (body) => api.post(BULK + '/jobs', body);
export const cancelJob = (id) => api.post(BULK + '/jobs/' + encodeURIComponent(id) + '/cancel');
