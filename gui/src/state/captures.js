import { api } from './session.js';
import { resource } from './resource.js';

/** Packet captures (/api/v1/captures): {captures, counters, storage}, polled fast while one runs. */
const CAP = '/api/v1/captures';
const enc = encodeURIComponent;

export const captures = resource(() => api.get(CAP));
export const startCapture = (body) => api.post(CAP, body);
export const stopCapture = (id) => api.post(CAP + '/' + enc(id) + '/stop');
export const deleteCapture = (id) => api.del(CAP + '/' + enc(id));
/** {blob, filename}: the API wants the bearer token, which a plain link cannot send. */
export const downloadCapture = (id, fallbackName) => api.download(CAP + '/' + enc(id) + '/download', { fallbackName });
