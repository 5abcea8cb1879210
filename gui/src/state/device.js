import { api } from './session.js';
import { resource } from './resource.js';

export const device = resource((client) => api.get('/api/v1/devices/' + encodeURIComponent(client)));

/** The device's stored events, newest first (keyset paging: `next` continues). */
export const timeline = resource(async (client, cursor) => {
  const key = client.includes(':') && client.split(':').length === 6 ? 'mac' : 'duid';
  const page = await api.get('/api/v1/events', { [key]: client, limit: 100, cursor });
  return page;
});

export const whoHad = resource((ip, at) => api.get('/api/v1/bindings', { ip, at: at || undefined }));
