import { useState } from 'preact/hooks';
import { whoHad } from '../state/device.js';
import { navigate } from '../state/router.js';
import { Resource } from '../components/States.jsx';
import { Bindings } from './Device.jsx';
import { targetKind } from '../lib/dhcp.js';
import { deviceHref } from '../components/Link.jsx';

/** Open a device by MAC or DUID. */
export function DeviceSearch({ compact }) {
  const [q, setQ] = useState('');
  const [bad, setBad] = useState(false);
  const submit = (e) => {
    e.preventDefault();
    const v = q.trim().toLowerCase();
    const kind = targetKind(v);
    if (kind === 'mac' || kind === 'duid') navigate(deviceHref(v.replace(/-/g, ':')));
    else setBad(true);
  };
  return (
    <form class={'search' + (compact ? ' compact' : '')} onSubmit={submit} role="search" aria-label="Open a device">
      <div class="field">
        <label for={compact ? 'ds-q-c' : 'ds-q'}>MAC or DUID</label>
        <input id={compact ? 'ds-q-c' : 'ds-q'} value={q} size={24} spellcheck={false} autocomplete="off" aria-invalid={bad ? 'true' : undefined} onInput={(e) => { setQ(e.currentTarget.value); setBad(false); }} placeholder="00:0c:01:02:03:04" />
      </div>
      <button type="submit">Open</button>
      {bad ? <span class="inline-error" role="alert">Not a MAC or DUID</span> : null}
    </form>
  );
}

/** datetime-local value (read as UTC) → ISO-8601. */
function toIso(local) {
  if (!local) return '';
  return local.length === 16 ? local + ':00Z' : local + 'Z';
}

export function WhoHad() {
  const [ip, setIp] = useState('');
  const [at, setAt] = useState('');
  const submit = (e) => {
    e.preventDefault();
    if (ip.trim()) whoHad.load(ip.trim(), toIso(at));
  };
  return (
    <main id="main" class="page">
      <div class="page-head">
        <h1>Devices</h1>
      </div>
      <div class="grid2">
        <section class="panel">
          <h2>Open a device</h2>
          <DeviceSearch />
        </section>
        <section class="panel">
          <h2>Who had this address?</h2>
          <form class="search" onSubmit={submit} aria-label="Who had an address">
            <div class="field">
              <label for="wh-ip">IPv4 / IPv6 address</label>
              <input id="wh-ip" value={ip} size={20} onInput={(e) => setIp(e.currentTarget.value)} placeholder="198.18.1.83" spellcheck={false} />
            </div>
            <div class="field">
              <label for="wh-at">At (UTC; empty: any time in the default window)</label>
              <input id="wh-at" type="datetime-local" step="1" value={at} onInput={(e) => setAt(e.currentTarget.value)} />
            </div>
            <button type="submit" class="primary">
              Search
            </button>
          </form>
        </section>
      </div>
      <section class="panel">
        <h2>Bindings</h2>
        {whoHad.data.value == null && !whoHad.loading.value && !whoHad.error.value ? (
          <p class="state empty">Enter an address (and a moment) to see which client held it.</p>
        ) : (
          <Resource r={whoHad} what="Searching" isEmpty={(d) => !d.bindings || !d.bindings.length} empty="Nobody had that address then.">
            {(d) => <Bindings list={d.bindings} showClient />}
          </Resource>
        )}
      </section>
    </main>
  );
}
